from datetime import date

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import PsyVoucherCommon


@tagged("post_install", "-at_install")
class TestVoucherProduct(PsyVoucherCommon):
    def test_pack_needs_sessions_and_session_types(self):
        with self.assertRaisesRegex(ValidationError, "has no sessions"):
            self._pack(psy_voucher_sessions=0)
        with self.assertRaisesRegex(ValidationError, "covers no session type"):
            self._pack(psy_voucher_session_type_ids=[(5, 0, 0)])
        with self.assertRaisesRegex(ValidationError, "both a session type"):
            self._pack(is_psy_session_type=True, psy_duration=1.0)

    def test_validity_from_product_or_company_default(self):
        voucher = self._voucher(activate=False, start_date=date(2026, 1, 31))
        self.assertEqual(voucher.expiry_date, date(2026, 7, 31))
        in_days = self._pack(psy_voucher_validity=45, psy_voucher_validity_unit="days")
        voucher = self._voucher(in_days, activate=False, start_date=date(2026, 1, 1))
        self.assertEqual(voucher.expiry_date, date(2026, 2, 15))
        # 0 on the product: the center's default (6 months, then 3 months).
        default = self._pack(psy_voucher_validity=0)
        voucher = self._voucher(default, activate=False, start_date=date(2026, 1, 1))
        self.assertEqual(voucher.expiry_date, date(2026, 7, 1))
        self.company_a.psy_voucher_validity = 3
        voucher = self._voucher(default, activate=False, start_date=date(2026, 1, 1))
        self.assertEqual(voucher.expiry_date, date(2026, 4, 1))

    def test_sale_takes_code_sessions_price_from_product(self):
        voucher = self._voucher(activate=False)
        self.assertTrue(voucher.name.startswith("B-"))
        self.assertEqual(voucher.state, "draft")
        self.assertEqual(voucher.sessions_total, 10)
        self.assertEqual(voucher.price, 500.0)
        self.assertBalance(voucher, 10, "draft")
        voucher.sessions_total = 12
        self.assertBalance(voucher, 12, "draft")
        # The private door of every seller (the invoice, once the billing
        # bridge is installed, refuses the Activate button for a priced pack).
        voucher._psy_check_draft_sellable()
        voucher._psy_activate()
        self.assertBalance(voucher, 12, "active")
        other = self._voucher()
        self.assertNotEqual(other.name, voucher.name)

    def test_sold_pack_is_frozen(self):
        voucher = self._voucher().with_user(self.manager)
        with self.assertRaisesRegex(UserError, "already sold"):
            voucher.sessions_total = 20
        with self.assertRaisesRegex(UserError, "already sold"):
            voucher.patient_id = self.patient_2
        with self.assertRaisesRegex(UserError, "follow its ledger"):
            voucher.remaining = 50
        with self.assertRaisesRegex(UserError, "follow its ledger"):
            voucher.state = "draft"
        with self.assertRaisesRegex(UserError, "sold and has a ledger"):
            voucher.unlink()
        self.assertBalance(voucher, 10, "active")

    def test_draft_cancel_and_delete(self):
        voucher = self._voucher(activate=False)
        voucher.action_cancel()
        self.assertEqual(voucher.state, "cancelled")
        with self.assertRaisesRegex(UserError, "Only draft packs can be activated"):
            voucher.action_activate()
        voucher.unlink()
        self.assertFalse(voucher.exists())

    def test_professional_owned_pack_needs_owner(self):
        own = self._pack(psy_voucher_owner="professional")
        with self.assertRaisesRegex(ValidationError, "Choose the owner professional"):
            self._voucher(own, activate=False)
        with self.assertRaisesRegex(ValidationError, "belongs to the center"):
            self._voucher(activate=False, professional_id=self.psychologist.id)
        voucher = self._voucher(own, professional_id=self.psychologist.id)
        self.assertEqual(voucher.professional_id, self.psychologist)
