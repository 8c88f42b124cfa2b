from datetime import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import PsyBillingCommon


@tagged("post_install", "-at_install")
class TestMonthlyBatch(PsyBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.nov_sessions = cls.env["psy.session"]
        for day in (3, 10, 17):
            cls.nov_sessions |= cls._done_session(cls._nov(day))
        cls.oct_session = cls._done_session(datetime(2026, 10, 27, 10, 0))
        cls.other_sessions = cls.env["psy.session"]
        for day in (4, 11):
            cls.other_sessions |= cls._done_session(
                cls._nov(day),
                patient_id=cls.patient_2.id,
                professional_id=cls.psychologist_2.id,
                room_id=cls.room_2.id,
            )

    def test_wizard_one_invoice_per_patient_and_month(self):
        wizard = (
            self.env["psy.session.invoice.wizard"]
            .with_user(self.billing)
            .create(
                {
                    "grouping": "monthly",
                    "date_from": datetime(2026, 10, 1).date(),
                    "date_to": datetime(2026, 11, 30).date(),
                    "post": True,
                }
            )
        )
        action = wizard.action_create_invoices()
        moves = self.env["account.move"].search(action["domain"])
        self.assertEqual(len(moves), 3)
        nov = moves.filtered(
            lambda m: m.psy_patient_id == self.patient
            and m.invoice_line_ids.psy_session_id == self.nov_sessions
        )
        self.assertEqual(len(nov.invoice_line_ids), 3)
        self.assertAlmostEqual(nov.amount_total, 180.0)
        other = moves.filtered(lambda m: m.psy_patient_id == self.patient_2)
        self.assertEqual(other.invoice_line_ids.psy_session_id, self.other_sessions)
        self.assertBalanced(moves)
        balances = self._balances(moves)
        self.assertAlmostEqual(balances[self.receivable], 360.0)
        self.assertAlmostEqual(balances[self.income], -360.0)
        all_sessions = self.nov_sessions | self.oct_session | self.other_sessions
        self.assertEqual(set(all_sessions.mapped("psy_invoice_state")), {"invoiced"})

    def test_wizard_selected_sessions_per_session(self):
        wizard = (
            self.env["psy.session.invoice.wizard"]
            .with_context(
                active_model="psy.session", active_ids=self.nov_sessions[:2].ids
            )
            .create({"grouping": "session"})
        )
        wizard.action_create_invoices()
        self.assertEqual(
            self.nov_sessions[:2].psy_invoice_line_ids.move_id.mapped("state"),
            ["draft", "draft"],
        )
        self.assertEqual(self.nov_sessions[2].psy_invoice_state, "to_invoice")

    def test_cron_invoices_previous_months(self):
        self.company_a.write(
            {"psy_invoice_policy": "monthly", "psy_invoice_auto_post": True}
        )
        with freeze_time(datetime(2026, 11, 2, 6, 0)):
            self.env["psy.session"]._cron_psy_monthly_invoicing()
        moves = self.oct_session.psy_invoice_line_ids.move_id
        self.assertEqual(moves.state, "posted")
        self.assertEqual(str(moves.invoice_date), "2026-10-31")
        # November is not over: its sessions wait for the next run.
        self.assertEqual(
            set(self.nov_sessions.mapped("psy_invoice_state")), {"to_invoice"}
        )

    def test_cron_date_is_an_argument(self):
        """The run is dated by its argument (OCA contract's ``date_ref``),
        never by a context key: ``psy_now`` sent by a client changes
        nothing."""
        self.company_a.write({"psy_invoice_policy": "monthly"})
        self.env["psy.session"].with_context(
            psy_now=datetime(2027, 1, 2), psy_today=datetime(2027, 1, 2).date()
        )._cron_psy_monthly_invoicing()
        # Still 23 November: only October is invoiced.
        self.assertEqual(
            set(self.nov_sessions.mapped("psy_invoice_state")), {"to_invoice"}
        )
        self.assertEqual(self.oct_session.psy_invoice_state, "invoiced")
        self.env["psy.session"]._cron_psy_monthly_invoicing(
            date_ref=datetime(2026, 12, 1).date()
        )
        moves = self.nov_sessions.psy_invoice_line_ids.move_id
        self.assertEqual(set(moves.mapped("state")), {"draft"})
        self.assertEqual(str(moves.invoice_date), "2026-11-30")
        self.assertEqual(
            len(moves.filtered(lambda m: m.psy_patient_id == self.patient)), 1
        )
