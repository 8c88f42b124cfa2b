import threading
import time
from datetime import date, datetime
from functools import partial

from freezegun import freeze_time

from odoo import SUPERUSER_ID, Command, api
from odoo.service.model import retrying
from odoo.tests import TransactionCase, tagged

from .common import without_consent_gating


@tagged("post_install", "-at_install")
class TestPayerConcurrency(TransactionCase):
    """The last session of a couples pack, or of a group participant's pack,
    taken by two transactions at once through two real cursors: the ledger
    locks the pack's row, one session takes it and the other is paid
    separately. The rows are committed, so they are built and removed here
    explicitly."""

    NOW = datetime(2031, 3, 10, 12, 0)

    def setUp(self):
        super().setUp()
        self.startPatcher(freeze_time(self.NOW, tick=True))
        without_consent_gating(self)

    def _env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})

    def _setup_data(self, kind):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            company = env.ref("base.main_company")
            professional = env["res.users"].create(
                {
                    "name": "Payer Concurrency Psychologist",
                    "login": "psy_payer_concurrency_test",
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
                        "firstname": name,
                        "lastname": "Payer concurrency",
                        "company_id": company.id,
                    }
                    for name in ("Ana", "Luis")
                ]
            )
            session_type = env["product.product"].create(
                {
                    "name": f"Payer concurrency {kind}",
                    "type": "service",
                    "is_psy_session_type": True,
                    "psy_duration": 1.0,
                    "psy_session_kind": kind,
                    "psy_capacity": 4 if kind == "group" else 0,
                }
            )
            pack = env["product.product"].create(
                {
                    "name": f"Payer concurrency {kind} pack",
                    "type": "service",
                    "is_psy_voucher": True,
                    "psy_voucher_sessions": 1,
                    "psy_voucher_session_type_ids": [
                        (6, 0, session_type.product_tmpl_id.ids)
                    ],
                }
            )
            voucher = env["psy.voucher"].create(
                {
                    "patient_id": patients[0].id,
                    "product_id": pack.id,
                    "start_date": date(2031, 1, 1),
                    "expiry_date": date(2031, 6, 1),
                }
            )
            voucher._psy_activate()
            sessions = env["psy.session"].create(
                [
                    {
                        "participant_ids": [
                            Command.create({"patient_id": patient.id})
                            for patient in patients
                        ],
                        "professional_id": professional.id,
                        "product_id": session_type.id,
                        "start": datetime(2031, 3, 10, hour, 0),
                    }
                    for hour in (9, 10)
                ]
            )
            # A concurrency test: a second cursor must see these rows.
            cr.commit()  # pylint: disable=invalid-commit
            return {
                "professional": professional.id,
                "partner": professional.partner_id.id,
                "patients": patients.ids,
                "patient_partners": patients.partner_id.ids,
                "products": (session_type | pack).product_tmpl_id.ids,
                "voucher": voucher.id,
                "sessions": sessions.ids,
            }

    def _cleanup(self, data):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            sessions = tuple(data["sessions"])
            # The ledger is append-only for every user: the test removes its
            # committed rows below the ORM.
            cr.execute(
                "UPDATE psy_session SET voucher_line_id = NULL, voucher_id = NULL "
                "WHERE id IN %s",
                [sessions],
            )
            cr.execute(
                "UPDATE psy_session_participant SET voucher_line_id = NULL, "
                "voucher_id = NULL WHERE session_id IN %s",
                [sessions],
            )
            cr.execute(
                "DELETE FROM psy_voucher_line WHERE voucher_id = %s", [data["voucher"]]
            )
            cr.execute("DELETE FROM psy_voucher WHERE id = %s", [data["voucher"]])
            cr.execute("DELETE FROM psy_session WHERE id IN %s", [sessions])
            env["psy.patient"].browse(data["patients"]).unlink()
            env["res.partner"].browse(data["patient_partners"]).unlink()
            env["product.template"].browse(data["products"]).unlink()
            env["res.users"].browse(data["professional"]).unlink()
            env["res.partner"].browse(data["partner"]).unlink()
            # Remove the rows the test committed.
            cr.commit()  # pylint: disable=invalid-commit

    def _race(self, data, first, second):
        """T1 runs ``first`` and holds the lock of the pack; T2 runs
        ``second`` meanwhile, waits for the lock, fails to serialize when T1
        commits and is retried like any Odoo request."""
        cr1 = self.registry.cursor()
        result = {}
        try:
            # Kept alive: the commit flushes through the cursor's environments.
            env1 = self._env(cr1)
            first(env1)

            def run_second():
                with self.registry.cursor() as cr2:
                    env2 = self._env(cr2)
                    # Its snapshot is taken now, while T1 has not committed.
                    env2["psy.voucher"].browse(data["voucher"]).mapped("remaining")
                    retrying(partial(second, env2), env2)
                    cr2.commit()
                    result["done"] = True

            thread = threading.Thread(target=run_second)
            thread.start()
            time.sleep(1.0)
            # T2 waits on the pack's row lock held by T1.
            self.assertTrue(thread.is_alive())
            cr1.commit()
            thread.join(30)
            self.assertFalse(thread.is_alive())
            self.assertTrue(result.get("done"))
        finally:
            cr1.rollback()
            cr1.close()

    def test_couples_pack_last_session_taken_once(self):
        data = self._setup_data("couple")
        try:
            one, two = data["sessions"]
            self._race(
                data,
                lambda env: env["psy.session"].browse(one).action_done(),
                lambda env: env["psy.session"].browse(two).action_done(),
            )
            with self.registry.cursor() as cr:
                env = self._env(cr)
                sessions = env["psy.session"].browse(data["sessions"])
                voucher = env["psy.voucher"].browse(data["voucher"])
                self.assertEqual(
                    [
                        (s.state, s.voucher_id.id, s.psy_pay_separately)
                        for s in sessions
                    ],
                    [("done", voucher.id, False), ("done", False, True)],
                )
                self.assertEqual(
                    (voucher.remaining, voucher.state, len(voucher.line_ids)),
                    (0, "exhausted", 1),
                )
        finally:
            self._cleanup(data)

    def test_group_participant_last_session_taken_once(self):
        data = self._setup_data("group")
        try:
            one, two = data["sessions"]
            ana = data["patients"][0]

            def present(session_id, env):
                env["psy.session"].browse(session_id).participant_ids.filtered(
                    lambda p: p.patient_id.id == ana
                ).action_present()

            self._race(
                data,
                partial(present, one),
                lambda env: env["psy.session"].browse(two).action_done(),
            )
            with self.registry.cursor() as cr:
                env = self._env(cr)
                sessions = env["psy.session"].browse(data["sessions"])
                voucher = env["psy.voucher"].browse(data["voucher"])
                ana_parts = sessions.participant_ids.filtered(
                    lambda p: p.patient_id.id == ana
                ).sorted(lambda p: p.session_id.start)
                self.assertEqual(
                    [
                        (p.attendance, p.voucher_id.id, p.psy_pay_separately)
                        for p in ana_parts
                    ],
                    [("present", voucher.id, False), ("present", False, True)],
                )
                self.assertFalse(sessions.voucher_line_id)
                self.assertEqual(
                    (voucher.remaining, voucher.state, len(voucher.line_ids)),
                    (0, "exhausted", 1),
                )
        finally:
            self._cleanup(data)
