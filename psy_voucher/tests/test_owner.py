from datetime import date

from odoo.tests import tagged

from .common import PsyVoucherCommon


@tagged("post_install", "-at_install")
class TestOwner(PsyVoucherCommon):
    def test_center_pack_any_professional_and_change_of_therapist(self):
        voucher = self._voucher()
        self._completed(professional_id=self.psychologist.id)
        self.assertBalance(voucher, 9)
        # The patient changes therapist: the center's pack still pays.
        self.patient.professional_ids = self.psychologist_2
        session = self._completed(professional_id=self.psychologist_2.id)
        self.assertEqual(session.voucher_id, voucher)
        self.assertBalance(voucher, 8)

    def test_professional_pack_only_its_professional(self):
        own = self._pack(psy_voucher_owner="professional")
        voucher = self._voucher(own, professional_id=self.psychologist.id)
        other = self._completed(professional_id=self.psychologist_2.id)
        self.assertFalse(other.voucher_id)
        self.assertTrue(other.psy_pay_separately)
        self.assertBalance(voucher, 10)
        mine = self._completed(professional_id=self.psychologist.id)
        self.assertEqual(mine.voucher_id, voucher)
        self.assertBalance(voucher, 9)

    def test_fifo_skips_packs_of_other_professionals(self):
        own = self._pack(psy_voucher_owner="professional")
        first = self._voucher(
            own, professional_id=self.psychologist.id, expiry_date=date(2026, 12, 1)
        )
        center = self._voucher(expiry_date=date(2027, 6, 1))
        session = self._completed(professional_id=self.psychologist_2.id)
        self.assertEqual(session.voucher_id, center)
        self.assertBalance(first, 10)
        self.assertBalance(center, 9)
        session = self._completed(professional_id=self.psychologist.id)
        self.assertEqual(session.voucher_id, first)
        self.assertBalance(first, 9)
        self.assertBalance(center, 9)
