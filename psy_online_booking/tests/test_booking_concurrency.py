from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase, tagged

from odoo.addons.psy_online_booking.models.psy_booking_request import PsySlotTaken

from .common import working_hours


@tagged("post_install", "-at_install")
class TestBookingConcurrency(TransactionCase):
    """Two visitors book one slot at the same time, through two real
    cursors: both saw it free, the first commits, the database refuses the
    second, who is told the slot was just taken and offered fresh slots.
    The rows are committed, so they are built and deleted here."""

    NOW = "2031-03-03 08:00:00"
    SLOT = datetime(2031, 3, 4, 9, 0)  # Tuesday, 10:00 in Madrid

    def _env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})

    def _setup_data(self):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            company = env.ref("base.main_company")
            calendar = working_hours(env, "Concurrency hours")
            professional = env["res.users"].create(
                {
                    "name": "Concurrency Booking Psychologist",
                    "login": "psy_online_booking_concurrency",
                    "company_id": company.id,
                    "company_ids": [(6, 0, company.ids)],
                    "groups_id": [
                        (6, 0, env.ref("psy_patient.group_psy_psychologist").ids)
                    ],
                    "psy_booking_calendar_id": calendar.id,
                }
            )
            product = env["product.product"].create(
                {
                    "name": "Concurrency online therapy",
                    "type": "service",
                    "is_psy_session_type": True,
                    "psy_duration": 50 / 60,
                    "psy_modality": "online",
                    "psy_online_booking": True,
                }
            )
            # A concurrency test: a second cursor must see these rows.
            cr.commit()  # pylint: disable=invalid-commit
            return {
                "company": company.id,
                "calendar": calendar.id,
                "professional": professional.id,
                "partner": professional.partner_id.id,
                "product": product.product_tmpl_id.id,
                "variant": product.id,
            }

    def _cleanup(self, data):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            sessions = env["psy.session"].search(
                [("professional_id", "=", data["professional"])]
            )
            patients = sessions.patient_ids
            cr.execute(
                "SELECT id FROM psy_booking_request WHERE professional_id = %s",
                [data["professional"]],
            )
            requests = [row[0] for row in cr.fetchall()]
            cr.execute(
                "DELETE FROM psy_booking_request WHERE professional_id = %s",
                [data["professional"]],
            )
            cr.execute(
                "DELETE FROM mail_mail m USING mail_message msg "
                "WHERE m.mail_message_id = msg.id AND msg.model = %s "
                "AND msg.res_id = ANY(%s)",
                ["psy.booking.request", requests],
            )
            cr.execute(
                "DELETE FROM mail_message WHERE model = %s AND res_id = ANY(%s)",
                ["psy.booking.request", requests],
            )
            cr.execute(
                "DELETE FROM mail_followers WHERE res_model = %s AND res_id = ANY(%s)",
                ["psy.booking.request", requests],
            )
            sessions.unlink()
            partners = patients.partner_id
            patients.unlink()
            partners.unlink()
            env["product.template"].browse(data["product"]).unlink()
            env["res.users"].browse(data["professional"]).unlink()
            env["res.partner"].browse(data["partner"]).unlink()
            env["resource.calendar"].browse(data["calendar"]).unlink()
            # Remove the rows the test committed.
            cr.commit()  # pylint: disable=invalid-commit

    def _book(self, env, data, email):
        company = env["res.company"].browse(data["company"])
        return env["psy.booking.request"]._psy_book(
            company,
            env["product.product"].browse(data["variant"]),
            "online",
            env["res.users"].browse(data["professional"]),
            self.SLOT,
            contact={
                "firstname": "Rival",
                "lastname": email.split("@")[0],
                "email": email,
                "phone": "600000000",
            },
            tz="Europe/Madrid",
        )

    def _slots(self, env, data):
        company = env["res.company"].browse(data["company"])
        return env["psy.booking.availability"]._psy_slots(
            company,
            env["product.product"].browse(data["variant"]),
            "online",
            env["res.users"].browse(data["professional"]),
            self.SLOT - timedelta(hours=2),
            self.SLOT + timedelta(hours=4),
        )

    @freeze_time(NOW)
    def test_two_visitors_one_slot(self):
        data = self._setup_data()
        cr1 = self.registry.cursor()
        cr2 = self.registry.cursor()
        try:
            env1, env2 = self._env(cr1), self._env(cr2)
            # Both pages show the slot as free.
            self.assertIn(self.SLOT, [s["start"] for s in self._slots(env1, data)])
            self.assertIn(self.SLOT, [s["start"] for s in self._slots(env2, data)])
            # The first visitor books and commits.
            first = self._book(env1, data, "first@example.com")
            cr1.commit()
            self.assertEqual(first.session_id.start, self.SLOT)
            # The second, on a snapshot where the slot still looks free,
            # passes the page's check; the database refuses the session.
            self.assertIn(self.SLOT, [s["start"] for s in self._slots(env2, data)])
            with self.assertRaisesRegex(PsySlotTaken, "This slot was just taken"):
                self._book(env2, data, "second@example.com")
            # Nothing of the refused booking is left in its transaction.
            self.assertFalse(
                env2["psy.patient"].search([("email", "=", "second@example.com")])
            )
            cr2.rollback()
            # Fresh slots: the taken one is gone, the others are offered.
            fresh = [s["start"] for s in self._slots(env2, data)]
            self.assertNotIn(self.SLOT, fresh)
            self.assertIn(self.SLOT + timedelta(hours=1), fresh)
        finally:
            cr1.rollback()
            cr2.rollback()
            cr1.close()
            cr2.close()
            self._cleanup(data)
