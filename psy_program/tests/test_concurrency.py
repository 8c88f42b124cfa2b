import threading
from datetime import datetime
from functools import partial

from odoo import SUPERUSER_ID, api
from odoo.service.model import retrying
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestEnrolmentConcurrency(TransactionCase):
    """Two clients enrol the last place of a group at the same time, each in
    its own transaction (two real cursors): one gets the place, the other
    goes to the waiting list. The program row is locked while the places are
    counted; a transaction that read the program before the other one
    committed is refused by PostgreSQL (serialization failure) and retried by
    Odoo, as every RPC call is. The test rows are committed, so they are
    built and deleted here explicitly."""

    def _env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})

    def _setup_data(self):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            company = env.ref("base.main_company")
            professional = env["res.users"].create(
                {
                    "name": "Concurrency Group Psychologist",
                    "login": "psy_program_concurrency_test",
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
                        "lastname": f"Member {i}",
                        "company_id": company.id,
                    }
                    for i in (1, 2, 3)
                ]
            )
            product = env["product.product"].create(
                {
                    "name": "Concurrency group",
                    "type": "service",
                    "is_psy_session_type": True,
                    "psy_session_kind": "group",
                    "psy_capacity": 5,
                    "psy_duration": 1.0,
                }
            )
            program = env["psy.program"].create(
                {
                    "name": "Concurrency program",
                    "professional_id": professional.id,
                    "product_id": product.id,
                    "capacity": 2,
                    "first_start": datetime(2031, 3, 6, 18, 0),
                    "planned_count": 2,
                    "company_id": company.id,
                }
            )
            program.action_generate_sessions()
            program.action_open()
            # One place of two is taken.
            env["psy.program.enrolment"].create(
                {"program_id": program.id, "patient_id": patients[0].id}
            )
            # A concurrency test: a second cursor must see these rows.
            cr.commit()  # pylint: disable=invalid-commit
            return {
                "professional": professional.id,
                "partner": professional.partner_id.id,
                "patients": patients.ids,
                "patient_partners": patients.partner_id.ids,
                "product": product.product_tmpl_id.id,
                "program": program.id,
            }

    def _cleanup(self, data):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            program = env["psy.program"].browse(data["program"])
            env["mail.message"].search(
                [
                    ("model", "in", ("psy.program", "psy.session")),
                    ("res_id", "in", [program.id, *program.session_ids.ids]),
                ]
            ).unlink()
            program.session_ids.unlink()
            # The program is open: its delete guard refuses it to everyone, so
            # the test removes its own rows directly.
            cr.execute(
                "DELETE FROM psy_program_enrolment WHERE program_id = %s",
                (program.id,),
            )
            cr.execute("DELETE FROM psy_program WHERE id = %s", (program.id,))
            env.invalidate_all()
            env["psy.patient"].browse(data["patients"]).unlink()
            env["res.partner"].browse(data["patient_partners"]).unlink()
            env["product.template"].browse(data["product"]).unlink()
            env["res.users"].browse(data["professional"]).unlink()
            env["res.partner"].browse(data["partner"]).unlink()
            # Remove the rows the test committed.
            cr.commit()  # pylint: disable=invalid-commit

    def _enrol(self, env, data, index):
        return env["psy.program.enrolment"].create(
            {"program_id": data["program"], "patient_id": data["patients"][index]}
        )

    def _check_outcome(self, data, first_id, second_id):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            program = env["psy.program"].browse(data["program"])
            first = env["psy.program.enrolment"].browse(first_id)
            second = env["psy.program.enrolment"].browse(second_id)
            self.assertEqual(first.state, "enrolled")
            self.assertEqual(second.state, "waiting")
            self.assertEqual(second.waiting_position, 1)
            self.assertEqual(program.enrolled_count, 2)
            self.assertEqual(program.waiting_count, 1)
            self.assertEqual(
                len(program.enrolment_ids.filtered(lambda e: e.state == "enrolled")),
                program.capacity,
            )
            for session in program.session_ids:
                self.assertEqual(len(session.participant_ids), 2)
                self.assertNotIn(second.patient_id, session.participant_ids.patient_id)

    def test_last_place_two_transactions(self):
        data = self._setup_data()
        cr1 = self.registry.cursor()
        cr2 = self.registry.cursor()
        try:
            env1, env2 = self._env(cr1), self._env(cr2)
            # Both clients look at the program: one place left for each.
            self.assertEqual(env1["psy.program"].browse(data["program"]).seats_left, 1)
            self.assertEqual(env2["psy.program"].browse(data["program"]).seats_left, 1)
            # The first takes it and commits.
            first = self._enrol(env1, data, 1)
            self.assertEqual(first.state, "enrolled")
            cr1.commit()
            # The second, on its snapshot where the place looked free, is
            # refused by the lock and retried: it joins the waiting list.
            second = retrying(partial(self._enrol, env2, data, 2), env2)
            self.assertEqual(second.state, "waiting")
            cr2.commit()
            self._check_outcome(data, first.id, second.id)
        finally:
            cr1.rollback()
            cr2.rollback()
            cr1.close()
            cr2.close()
            self._cleanup(data)

    def test_last_place_at_the_same_moment(self):
        """The second client asks while the first holds the lock: it waits for
        the first to commit, then goes to the waiting list."""
        data = self._setup_data()
        cr1 = self.registry.cursor()
        result = {}
        try:
            env1 = self._env(cr1)
            first = self._enrol(env1, data, 1)
            self.assertEqual(first.state, "enrolled")

            def second_client():
                with self.registry.cursor() as cr2:
                    env2 = self._env(cr2)
                    try:
                        enrolment = retrying(partial(self._enrol, env2, data, 2), env2)
                        result["state"] = enrolment.state
                        result["id"] = enrolment.id
                        cr2.commit()
                    except Exception as error:  # noqa: BLE001 - reported below
                        result["error"] = error

            thread = threading.Thread(target=second_client)
            thread.start()
            thread.join(timeout=2)
            # The second client is blocked on the lock of the program row.
            self.assertTrue(thread.is_alive())
            cr1.commit()
            thread.join(timeout=30)
            self.assertFalse(thread.is_alive())
            self.assertNotIn("error", result, result.get("error"))
            self.assertEqual(result["state"], "waiting")
            self._check_outcome(data, first.id, result["id"])
        finally:
            cr1.rollback()
            cr1.close()
            self._cleanup(data)
