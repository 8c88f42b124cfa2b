from contextlib import contextmanager
from datetime import datetime

from freezegun import freeze_time

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.psy_voucher.tests.common import without_consent_gating

# What the demo center may require before a session is invoiced.
INVOICE_GATING_FIELDS = ("psy_invoice_requires_signed_note",)


@tagged("post_install", "-at_install")
class TestInvoiceConcurrency(TransactionCase):
    """The accountant's batch runs while someone else is changing one of its
    sessions in another transaction, through two real cursors: the batch
    leaves the busy session for its next run instead of failing when both
    commit. The rows are committed, so they are built and removed here
    explicitly, on the main company and its chart of accounts."""

    NOW = datetime(2031, 3, 20, 12, 0)

    def setUp(self):
        super().setUp()
        self.startPatcher(freeze_time(self.NOW, tick=True))
        without_consent_gating(self)
        with self.registry.cursor() as cr:
            company = self._env(cr).ref("base.main_company")
            if not company.chart_template:
                self.skipTest("The main company has no chart of accounts.")
            names = [n for n in INVOICE_GATING_FIELDS if n in company._fields]
            saved = {name: company[name] for name in names}
            company.write(dict.fromkeys(names, False))

        def restore():
            with self.registry.cursor() as cr:
                self._env(cr).ref("base.main_company").write(saved)

        self.addCleanup(restore)
        self.data = self._setup_data()
        self.addCleanup(self._cleanup, self.data)

    def _env(self, cr, uid=SUPERUSER_ID):
        return api.Environment(cr, uid, {"tracking_disable": True})

    def _accountant_env(self, cr):
        return self._env(cr, self.data["accountant"])

    def _setup_data(self):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            company = env.ref("base.main_company")
            professional, accountant = (
                new_test_user(
                    env,
                    login,
                    groups=groups,
                    name=name,
                    company_id=company.id,
                    company_ids=[Command.set(company.ids)],
                )
                for login, name, groups in (
                    (
                        "psy_invoice_concurrency_test",
                        "Invoice Concurrency Psychologist",
                        "psy_patient.group_psy_psychologist",
                    ),
                    (
                        "psy_invoice_concurrency_accountant",
                        "Invoice Concurrency Accountant",
                        "psy_patient.group_psy_billing,account.group_account_invoice",
                    ),
                )
            )
            patient = env["psy.patient"].create(
                {
                    "firstname": "Concurrency",
                    "lastname": "Invoice patient",
                    "company_id": company.id,
                }
            )
            session_type = env["product.product"].create(
                {
                    "name": "Invoice concurrency therapy",
                    "type": "service",
                    "is_psy_session_type": True,
                    "psy_duration": 1.0,
                    "list_price": 60.0,
                    "taxes_id": [Command.clear()],
                }
            )
            sessions = env["psy.session"].create(
                [
                    {
                        "patient_id": patient.id,
                        "professional_id": professional.id,
                        "product_id": session_type.id,
                        "start": datetime(2031, 3, day, 10, 0),
                    }
                    for day in (3, 10)
                ]
            )
            sessions.action_done()
            # A concurrency test: a second cursor must see these rows.
            cr.commit()  # pylint: disable=invalid-commit
            return {
                "professional": professional.id,
                "partner": professional.partner_id.id,
                "accountant": accountant.id,
                "accountant_partner": accountant.partner_id.id,
                "patient": patient.id,
                "patient_partner": patient.partner_id.id,
                "product": session_type.product_tmpl_id.id,
                "sessions": sessions.ids,
            }

    def _cleanup(self, data):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            sessions = env["psy.session"].browse(data["sessions"])
            sessions.psy_invoice_line_ids.move_id.unlink()
            sessions.unlink()
            env["psy.patient"].browse(data["patient"]).unlink()
            env["res.partner"].browse(data["patient_partner"]).unlink()
            env["product.template"].browse(data["product"]).unlink()
            env["res.users"].browse([data["professional"], data["accountant"]]).unlink()
            env["res.partner"].browse(
                [data["partner"], data["accountant_partner"]]
            ).unlink()
            # Remove the rows the test committed.
            cr.commit()  # pylint: disable=invalid-commit

    def _batch(self, env):
        return (
            env["psy.session.invoice.wizard"]
            .create(
                {
                    "grouping": "session",
                    "session_ids": [Command.set(self.data["sessions"])],
                    "invoice_date": datetime(2031, 3, 31).date(),
                }
            )
            .action_create_invoices()
        )

    def _committed(self):
        """(invoice status, number of invoice lines) of each session, as
        committed."""
        with self.registry.cursor() as cr:
            sessions = self._env(cr)["psy.session"].browse(self.data["sessions"])
            return [
                (session.psy_invoice_state, len(session.psy_invoice_line_ids))
                for session in sessions
            ]

    @contextmanager
    def _two_accountants(self):
        """Two accountants' transactions, on two real cursors, rolled back
        and closed whatever happens (what they committed stays)."""
        cr1 = self.registry.cursor()
        cr2 = self.registry.cursor()
        try:
            # A regression waits on the other's lock: fail instead of hanging.
            for cr in (cr1, cr2):
                cr.execute("SET lock_timeout = '10s'")
            yield self._accountant_env(cr1), self._accountant_env(cr2)
        finally:
            for cr in (cr1, cr2):
                cr.rollback()
                cr.close()

    def test_batch_leaves_out_the_session_being_invoiced_elsewhere(self):
        first, second = self.data["sessions"]
        with self._two_accountants() as (env1, env2):
            # Both snapshots see the two sessions waiting to be invoiced.
            self.assertEqual(
                env2["psy.session"].browse(second).psy_invoice_state, "to_invoice"
            )
            self.assertEqual(
                set(
                    env1["psy.session"]
                    .browse(self.data["sessions"])
                    .mapped("psy_invoice_state")
                ),
                {"to_invoice"},
            )
            # A clerk invoices the second session and has not committed yet.
            env2["psy.session"].browse(second).action_psy_create_invoice()
            env2.flush_all()
            # The batch invoices the first one at once and reports the
            # second one instead of waiting for it.
            action = self._batch(env1)
            self.assertEqual(action["tag"], "display_notification")
            self.assertIn(
                "is being changed by someone else right now",
                action["params"]["message"],
            )
            self.assertEqual(
                env1["psy.session"].browse(first).psy_invoice_state, "invoiced"
            )
            self.assertEqual(
                env1["psy.session"].browse(second).psy_invoice_state, "to_invoice"
            )
            # Both commit: neither fails, each session is invoiced once.
            env1.cr.commit()
            env2.cr.commit()
        self.assertEqual(self._committed(), [("invoiced", 1), ("invoiced", 1)])

    def test_session_locked_by_the_batch_is_refused_at_once(self):
        first, second = self.data["sessions"]
        with self._two_accountants() as (env1, env2):
            self.assertEqual(
                env2["psy.session"].browse(first).psy_invoice_state, "to_invoice"
            )
            # The batch invoices both sessions and has not committed yet.
            action = self._batch(env1)
            self.assertEqual(action["res_model"], "account.move")
            # The clerk's Invoice button is refused with a clear message,
            # without waiting for the batch and without a trace.
            with self.assertRaisesRegex(
                UserError, "is being changed by someone else right now"
            ):
                env2["psy.session"].browse(first).action_psy_create_invoice()
            env2.cr.rollback()
            env1.cr.commit()
        self.assertEqual(self._committed(), [("invoiced", 1), ("invoiced", 1)])
        # Once the batch has committed, the button says there is nothing left.
        with self.registry.cursor() as cr:
            with self.assertRaisesRegex(UserError, "None of the selected sessions"):
                self._accountant_env(cr)["psy.session"].browse(
                    second
                ).action_psy_create_invoice()
