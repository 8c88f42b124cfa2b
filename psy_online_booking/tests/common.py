from datetime import datetime

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.psy_session.tests.common import PsySessionCommon


def working_hours(env, name, days=("0", "1", "2", "3", "4"), hours=((9, 13),)):
    """A calendar on Madrid's clock with the given days and hours."""
    return env["resource.calendar"].create(
        {
            "name": name,
            "tz": "Europe/Madrid",
            "attendance_ids": [Command.clear()]
            + [
                Command.create(
                    {
                        "name": f"{name} {day} {start}",
                        "dayofweek": day,
                        "hour_from": start,
                        "hour_to": stop,
                        "day_period": "morning" if start < 13 else "afternoon",
                    }
                )
                for day in days
                for start, stop in hours
            ],
        }
    )


class PsyOnlineBookingCommon(PsySessionCommon):
    """Center A opens online booking: its two psychologists work 9:00-13:00
    (Madrid) from Monday to Friday, sessions of 50 minutes, a buffer of 10
    minutes, 24 hours of notice, start times every 30 minutes.

    The clock is Monday 23 November 2026, 08:00 UTC (09:00 in Madrid)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a.partner_id.tz = "Europe/Madrid"
        cls.company_a.write(
            {
                "psy_booking_enabled": True,
                "psy_booking_confirmation": "auto",
                "psy_booking_buffer_minutes": 10,
                "psy_booking_notice_hours": 24,
                "psy_booking_horizon_days": 28,
                "psy_booking_step_minutes": 30,
                "psy_booking_max_attempts": 5,
                "psy_booking_throttle_minutes": 60,
            }
        )
        cls.calendar = working_hours(cls.env, "Hours of Marta")
        cls.calendar_2 = working_hours(cls.env, "Hours of Bruno")
        cls.psychologist.write(
            {
                "psy_booking_calendar_id": cls.calendar.id,
                "psy_booking_public_name": "Marta R.",
                "name": "Marta Ruiz",
            }
        )
        cls.psychologist_2.write(
            {"psy_booking_calendar_id": cls.calendar_2.id, "name": "Pablo Gil"}
        )
        cls.individual.psy_online_booking = True
        cls.online_only.psy_online_booking = True
        cls.Availability = cls.env["psy.booking.availability"]
        cls.Request = cls.env["psy.booking.request"]
        # Ana has a portal login: she is recognised when logged in.
        cls.portal_user = new_test_user(
            cls.env,
            login="t_portal_ana",
            groups="base.group_portal",
            partner_id=cls.patient.partner_id.id,
            email="ana@example.com",
            company_id=cls.company_a.id,
            company_ids=[cls.company_a.id],
        )
        # Tuesday 24 November 2026, in UTC: 09:00 in Madrid is 08:00 UTC.
        cls.tuesday = datetime(2026, 11, 24)

    @classmethod
    def _slots(cls, professionals=None, modality="online", product=None, **kwargs):
        date_from = kwargs.pop("date_from", cls.tuesday)
        date_to = kwargs.pop("date_to", cls.tuesday.replace(hour=23))
        return cls.Availability._psy_slots(
            cls.company_a,
            product or cls.individual,
            modality,
            professionals if professionals is not None else cls.psychologist,
            date_from,
            date_to,
            **kwargs,
        )

    @staticmethod
    def _starts(slots):
        return [slot["start"].strftime("%H:%M") for slot in slots]

    @classmethod
    def _visitor(cls, **vals):
        return {
            "firstname": "Laura",
            "lastname": "Vidal Soto",
            "email": "laura@example.com",
            "phone": "+34 600 000 000",
            **vals,
        }

    @classmethod
    def _book(cls, start, professional=None, patient=None, contact=None, **kwargs):
        if not patient and contact is None:
            contact = cls._visitor()
        return cls.Request.sudo()._psy_book(
            cls.company_a,
            kwargs.pop("product", cls.individual),
            kwargs.pop("modality", "online"),
            professional or cls.psychologist,
            start,
            patient=patient,
            contact=contact,
            tz="Europe/Madrid",
            **kwargs,
        )
