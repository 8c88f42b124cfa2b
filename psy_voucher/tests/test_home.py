from datetime import date

from odoo.tests import tagged

from .common import PsyVoucherCommon


@tagged("post_install", "-at_install")
class TestVoucherHome(PsyVoucherCommon):
    """Packs expiring soon on the front desk's home."""

    def _count(self, user):
        Home = self.env["psy.home"].with_user(user)
        data = Home.with_context(allowed_company_ids=user.company_id.ids).get_home(
            "front_desk"
        )
        tiles = {tile["key"]: tile["count"] for tile in data["tiles"]}
        return tiles["psy_voucher.expiring"]

    def test_packs_expiring_within_reminder_days(self):
        self.assertEqual(self.company_a.psy_voucher_reminder_days, 15)
        # Six months of validity: expires on 3 December, in 10 days.
        soon = self._voucher(start_date=date(2026, 6, 3))
        self.assertEqual(soon.expiry_date, date(2026, 12, 3))
        later = self._voucher(start_date=date(2026, 11, 1))
        self._voucher(start_date=date(2026, 6, 4), activate=False)  # a draft
        self.assertEqual(self._count(self.receptionist), 1)
        self.assertEqual(self._count(self.manager), 1)
        action = (
            self.env["psy.home"]
            .with_user(self.receptionist)
            .action_open_tile("front_desk", "psy_voucher.expiring")
        )
        self.assertEqual(
            self.env["psy.voucher"]
            .with_user(self.receptionist)
            .search(action["domain"]),
            soon,
        )
        # A center that reminds 5 days before: not yet.
        self.company_a.psy_voucher_reminder_days = 5
        self.assertEqual(self._count(self.receptionist), 0)
        self.assertTrue(later)

    def test_other_center_packs_not_counted(self):
        self._voucher(start_date=date(2026, 6, 3))
        self.assertEqual(self._count(self.receptionist_b), 0)
