import threading
import time
from datetime import date, datetime
from functools import partial

from freezegun import freeze_time

from odoo import SUPERUSER_ID, api
from odoo.service.model import retrying
from odoo.tests import TransactionCase, tagged

from .common import without_consent_gating


@tagged("post_install", "-at_install")
class TestVoucherConcurrency(TransactionCase):
    """Two transactions complete two sessions of the same patient at the same
    moment while the patient's first pack has one session left, through two
    real cursors. The rows are committed, so they are built and removed here
    explicitly. The clock is frozen at noon of the sessions' day (and ticks,
    for the waits of the two transactions)."""

    NOW = datetime(2031, 3, 10, 12, 0)

    def setUp(self):
        super().setUp()
        self.startPatcher(freeze_time(self.NOW, tick=True))
        without_consent_gating(self)

    def _env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})

    def _setup_data(self, second_voucher):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            company = env.ref("base.main_company")
            professional = env["res.users"].create(
                {
                    "name": "Voucher Concurrency Psychologist",
                    "login": "psy_voucher_concurrency_test",
                    "company_id": company.id,
                    "company_ids": [(6, 0, company.ids)],
                    "groups_id": [
                        (6, 0, env.ref("psy_patient.group_psy_psychologist").ids)
                    ],
                }
            )
            patient = env["psy.patient"].create(
                {
                    "firstname": "Concurrency",
                    "lastname": "Voucher patient",
                    "company_id": company.id,
                }
            )
            session_type = env["product.product"].create(
                {
                    "name": "Voucher concurrency therapy",
                    "type": "service",
                    "is_psy_session_type": True,
                    "psy_duration": 1.0,
                }
            )
            pack = env["product.product"].create(
                {
                    "name": "Voucher concurrency pack",
                    "type": "service",
                    "is_psy_voucher": True,
                    "psy_voucher_sessions": 1,
                    "psy_voucher_session_type_ids": [
                        (6, 0, session_type.product_tmpl_id.ids)
                    ],
                }
            )
            vouchers = env["psy.voucher"].create(
                [
                    {
                        "patient_id": patient.id,
                        "product_id": pack.id,
                        "start_date": date(2031, 1, 1),
                        "expiry_date": expiry,
                    }
                    for expiry in [date(2031, 4, 1), date(2031, 6, 1)][
                        : 2 if second_voucher else 1
                    ]
                ]
            )
            vouchers._psy_activate()
            sessions = env["psy.session"].create(
                [
                    {
                        "patient_id": patient.id,
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
                "patient": patient.id,
                "patient_partner": patient.partner_id.id,
                "products": (session_type | pack).product_tmpl_id.ids,
                "vouchers": vouchers.ids,
                "sessions": sessions.ids,
            }

    def _cleanup(self, data):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            # The ledger is append-only for every user: the test removes its
            # committed rows below the ORM.
            cr.execute(
                "UPDATE psy_session SET voucher_line_id = NULL, voucher_id = NULL "
                "WHERE id IN %s",
                [tuple(data["sessions"])],
            )
            cr.execute(
                "DELETE FROM psy_voucher_line WHERE voucher_id IN %s",
                [tuple(data["vouchers"])],
            )
            cr.execute(
                "DELETE FROM psy_voucher WHERE id IN %s", [tuple(data["vouchers"])]
            )
            sessions = env["psy.session"].browse(data["sessions"])
            sessions.unlink()
            env["psy.patient"].browse(data["patient"]).unlink()
            env["res.partner"].browse(data["patient_partner"]).unlink()
            env["product.template"].browse(data["products"]).unlink()
            env["res.users"].browse(data["professional"]).unlink()
            env["res.partner"].browse(data["partner"]).unlink()
            # Remove the rows the test committed.
            cr.commit()  # pylint: disable=invalid-commit

    def _race(self, data):
        """T1 completes session 1 and holds the lock of the pack; T2 completes
        session 2 meanwhile, waits for the lock, fails to serialize when T1
        commits and is retried like any Odoo request. Returns (session 1,
        session 2) as committed."""
        cr1 = self.registry.cursor()
        result = {}
        try:
            env1 = self._env(cr1)
            env1["psy.session"].browse(data["sessions"][0]).action_done()

            def second():
                with self.registry.cursor() as cr2:
                    env2 = self._env(cr2)
                    # Its snapshot is taken now, while T1 has not committed.
                    env2["psy.voucher"].browse(data["vouchers"]).mapped("remaining")
                    retrying(
                        partial(
                            lambda env: env["psy.session"]
                            .browse(data["sessions"][1])
                            .action_done(),
                            env2,
                        ),
                        env2,
                    )
                    cr2.commit()
                    result["done"] = True

            thread = threading.Thread(target=second)
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
        with self.registry.cursor() as cr:
            env = self._env(cr)
            sessions = env["psy.session"].browse(data["sessions"])
            vouchers = env["psy.voucher"].browse(data["vouchers"])
            return (
                [(s.state, s.voucher_id.id, s.psy_pay_separately) for s in sessions],
                [(v.remaining, v.state, len(v.line_ids)) for v in vouchers],
            )

    def test_last_session_taken_once_next_voucher(self):
        data = self._setup_data(second_voucher=True)
        try:
            sessions, vouchers = self._race(data)
            first, second = data["vouchers"]
            self.assertEqual(
                sessions,
                [("done", first, False), ("done", second, False)],
            )
            self.assertEqual(vouchers, [(0, "exhausted", 1), (0, "exhausted", 1)])
        finally:
            self._cleanup(data)

    def test_last_session_taken_once_none_left(self):
        data = self._setup_data(second_voucher=False)
        try:
            sessions, vouchers = self._race(data)
            self.assertEqual(
                sessions,
                [("done", data["vouchers"][0], False), ("done", False, True)],
            )
            self.assertEqual(vouchers, [(0, "exhausted", 1)])
        finally:
            self._cleanup(data)
