from datetime import datetime, timedelta

from odoo.addons.psy_patient.tests.common import PsyPatientCommon


class PsySessionCommon(PsyPatientCommon):
    """Center A of psy_patient plus session types, rooms and a second patient.

    ``now`` is the frozen clock of the class (``freeze_time`` of
    ``PsyPatientCommon``); tests move it with ``with freeze_time(...)``."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.now = datetime(2026, 11, 23, 8, 0)
        cls.company_a.write(
            {
                "psy_late_cancel_hours": 24.0,
                "psy_reset_days": 7,
                "psy_reminder_hours": 24,
            }
        )
        Product = cls.env["product.product"]
        cls.individual = Product.create(
            {
                "name": "Individual therapy",
                "type": "service",
                "is_psy_session_type": True,
                "psy_duration": 50 / 60,
                "list_price": 60.0,
            }
        )
        cls.online_only = Product.create(
            {
                "name": "Online session",
                "type": "service",
                "is_psy_session_type": True,
                "psy_duration": 50 / 60,
                "psy_modality": "online",
                "list_price": 60.0,
            }
        )
        Room = cls.env["psy.room"].with_company(cls.company_a)
        cls.room_1 = Room.create({"name": "Sala 1", "company_id": cls.company_a.id})
        cls.room_2 = Room.create({"name": "Sala 2", "company_id": cls.company_a.id})
        cls.patient.partner_id.email = "ana@example.com"
        cls.patient_2 = cls._patient(
            firstname="Bruno",
            lastname="Díaz",
            professional_ids=[(6, 0, cls.psychologist_2.ids)],
        )
        cls.Session = cls.env["psy.session"].with_company(cls.company_a)
        # Tomorrow 10:00 (UTC), i.e. 26 hours after "now".
        cls.slot = datetime(2026, 11, 24, 10, 0)

    @classmethod
    def _session(cls, start=None, **vals):
        values = {
            "patient_id": cls.patient.id,
            "professional_id": cls.psychologist.id,
            "product_id": cls.individual.id,
            "room_id": cls.room_1.id,
            "start": start or cls.slot,
        }
        values.update(vals)
        return cls.Session.create(values)

    @staticmethod
    def _hours(hours):
        return timedelta(hours=hours)
