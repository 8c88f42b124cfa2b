from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import PsyBillingCommon


@tagged("post_install", "-at_install")
class TestInsurer(PsyBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.patient.write(
            {"psy_insurer_id": cls.insurer.id, "psy_insurance_number": "POL-778"}
        )
        cls.Coverage = cls.env["psy.insurer.coverage"].with_company(cls.company_a)

    def _coverage(self, coverage_type, amount, product=None):
        return self.Coverage.create(
            {
                "insurer_id": self.insurer.id,
                "product_id": (product or self.individual).id,
                "coverage_type": coverage_type,
                "amount": amount,
                "company_id": self.company_a.id,
            }
        )

    def test_percentage_split_on_two_invoices(self):
        self._coverage("percentage", 40.0)
        session = self._done_session(self._nov(16))
        moves = session.with_user(self.billing)._psy_create_invoices(
            "session", post=True
        )
        self.assertEqual(len(moves), 2)
        insurer_move = moves.filtered(lambda m: m.partner_id == self.insurer)
        patient_move = moves - insurer_move
        self.assertEqual(patient_move.partner_id, self.patient.partner_id)
        self.assertAlmostEqual(insurer_move.amount_total, 24.0)
        self.assertAlmostEqual(patient_move.amount_total, 36.0)
        self.assertEqual(insurer_move.psy_insurance_number, "POL-778")
        self.assertEqual(insurer_move.psy_patient_national_id, "12345678Z")
        self.assertFalse(patient_move.psy_insurance_number)
        self.assertBalanced(moves)
        balances = self._balances(moves)
        self.assertAlmostEqual(balances[self.receivable], 60.0)
        self.assertAlmostEqual(balances[self.income], -60.0)
        # Paid only when both shares are paid.
        self._pay(patient_move)
        self.assertEqual(session.psy_invoice_state, "invoiced")
        self._pay(insurer_move)
        self.assertEqual(session.psy_invoice_state, "paid")

    def test_fixed_coverage_capped_at_price(self):
        self._coverage("fixed", 70.0)
        session = self._done_session(self._nov(17))
        moves = session._psy_create_invoices("session", post=True)
        self.assertEqual(moves.partner_id, self.insurer)
        self.assertAlmostEqual(moves.amount_total, 60.0)

    def test_uncovered_type_billed_to_patient(self):
        self._coverage("fixed", 20.0, product=self.coaching)
        session = self._done_session(self._nov(18))
        moves = session._psy_create_invoices("session")
        self.assertEqual(moves.partner_id, self.patient.partner_id)
        self.assertAlmostEqual(moves.amount_untaxed, 60.0)

    def test_coverage_constraints(self):
        with self.assertRaises(ValidationError):
            self._coverage("percentage", 120.0)
        self._coverage("fixed", 10.0)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self._coverage("fixed", 15.0)
