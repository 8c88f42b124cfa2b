from datetime import datetime, timedelta

from odoo import SUPERUSER_ID, api
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestSessionConcurrency(TransactionCase):
    """Two transactions book the same slot at the same time, through two real
    cursors: the first commits, the second gets the clear message. The test
    rows are committed, so they are built and deleted here explicitly."""

    def _env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})

    def _setup_data(self):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            company = env.ref("base.main_company")
            professional = env["res.users"].create(
                {
                    "name": "Concurrency Psychologist",
                    "login": "psy_session_concurrency_test",
                    "company_id": company.id,
                    "company_ids": [(6, 0, company.ids)],
                    "groups_id": [
                        (6, 0, env.ref("psy_patient.group_psy_psychologist").ids)
                    ],
                }
            )
            patients = env["psy.patient"].create(
                [
                    {
                        "firstname": "Concurrency",
                        "lastname": f"Patient {i}",
                        "company_id": company.id,
                    }
                    for i in (1, 2)
                ]
            )
            product = env["product.product"].create(
                {
                    "name": "Concurrency therapy",
                    "type": "service",
                    "is_psy_session_type": True,
                    "psy_duration": 1.0,
                }
            )
            # A concurrency test: a second cursor must see these rows.
            cr.commit()  # pylint: disable=invalid-commit
            return {
                "professional": professional.id,
                "partner": professional.partner_id.id,
                "patients": patients.ids,
                "patient_partners": patients.partner_id.ids,
                "product": product.product_tmpl_id.id,
                "product_variant": product.id,
            }

    def _cleanup(self, data):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            sessions = env["psy.session"].search(
                [("professional_id", "=", data["professional"])]
            )
            sessions.unlink()
            env["psy.patient"].browse(data["patients"]).unlink()
            env["res.partner"].browse(data["patient_partners"]).unlink()
            env["product.template"].browse(data["product"]).unlink()
            env["res.users"].browse(data["professional"]).unlink()
            env["res.partner"].browse(data["partner"]).unlink()
            # Remove the rows the test committed.
            cr.commit()  # pylint: disable=invalid-commit

    def _values(self, data, patient_index, start):
        return {
            "patient_id": data["patients"][patient_index],
            "professional_id": data["professional"],
            "product_id": data["product_variant"],
            "start": start,
        }

    def test_same_slot_two_transactions(self):
        data = self._setup_data()
        start = datetime(2031, 3, 4, 10, 0)
        cr1 = self.registry.cursor()
        cr2 = self.registry.cursor()
        try:
            env1, env2 = self._env(cr1), self._env(cr2)
            # Both transactions look at the agenda: the slot is free for both.
            domain = [
                ("professional_id", "=", data["professional"]),
                ("start", "<", start + timedelta(hours=1)),
                ("stop", ">", start),
            ]
            self.assertFalse(env1["psy.session"].search(domain))
            self.assertFalse(env2["psy.session"].search(domain))
            # The first books and commits.
            first = env1["psy.session"].create(self._values(data, 0, start))
            cr1.commit()
            self.assertEqual(first.state, "scheduled")
            # The second, still on its snapshot where the slot looked free,
            # is stopped by the database and told which session holds it.
            self.assertFalse(env2["psy.session"].search(domain))
            with self.assertRaisesRegex(
                ValidationError,
                r"The professional Concurrency Psychologist is already booked "
                r".*session of Concurrency Patient 1",
            ):
                env2["psy.session"].create(
                    self._values(data, 1, start + timedelta(minutes=30))
                )
            cr2.rollback()
            # Back-to-back still works in the second transaction.
            adjacent = env2["psy.session"].create(
                self._values(data, 1, start + timedelta(hours=1))
            )
            self.assertEqual(adjacent.start, first.stop)
            cr2.rollback()
        finally:
            cr1.rollback()
            cr2.rollback()
            cr1.close()
            cr2.close()
            self._cleanup(data)
