from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import PsyVoucherCommon


@tagged("post_install", "-at_install")
class TestAccess(PsyVoucherCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # patient: treated by psychologist; patient_2: by psychologist_2.
        cls.voucher = cls._voucher()
        cls.voucher_2 = cls._voucher(patient=cls.patient_2)
        cls._completed()

    def test_receptionist_sells_and_reads_ledger(self):
        Voucher = self.env["psy.voucher"].with_user(self.receptionist)
        voucher = Voucher.create(
            # Free: the Activate button sells it with or without the billing
            # bridge, which activates a priced pack by its invoice only.
            {"patient_id": self.patient_2.id, "product_id": self.pack10.id, "price": 0}
        )
        voucher.action_activate()
        self.assertEqual(voucher.state, "active")
        self.assertEqual(
            Voucher.browse(self.voucher.id).line_ids.mapped("type"), ["consume"]
        )
        line = self.voucher.line_ids.with_user(self.receptionist)
        with self.assertRaises(AccessError):
            line.check_access("write")
        with self.assertRaises(AccessError):
            voucher.unlink()

    def test_psychologist_reads_vouchers_of_own_patients(self):
        Voucher = self.env["psy.voucher"].with_user(self.psychologist)
        self.assertEqual(
            Voucher.search([("id", "in", (self.voucher | self.voucher_2).ids)]),
            self.voucher,
        )
        self.assertEqual(
            self.env["psy.voucher.line"]
            .with_user(self.psychologist)
            .search([("voucher_id", "in", (self.voucher | self.voucher_2).ids)]),
            self.voucher.line_ids,
        )
        with self.assertRaises(AccessError):
            self.voucher_2.with_user(self.psychologist).read(["remaining"])
        with self.assertRaises(AccessError):
            Voucher.create(
                {"patient_id": self.patient.id, "product_id": self.pack10.id}
            )
        with self.assertRaises(AccessError):
            self.voucher.with_user(self.psychologist).write({"note": "x"})

    def test_psychologist_completing_a_session_consumes(self):
        # psychologist_2 does not treat patient: the ledger is still written.
        session = self._past_session(professional_id=self.psychologist_2.id)
        session.with_user(self.psychologist_2).action_done()
        self.assertEqual(session.voucher_id, self.voucher)
        self.assertBalance(self.voucher, 8)

    def test_billing_reads_everything_changes_nothing(self):
        Voucher = self.env["psy.voucher"].with_user(self.billing)
        self.assertEqual(
            Voucher.search([("id", "in", (self.voucher | self.voucher_2).ids)]),
            self.voucher | self.voucher_2,
        )
        self.assertTrue(
            self.env["psy.voucher.line"].with_user(self.billing).search_count([])
        )
        self.assertTrue(
            self.env["psy.voucher.report"].with_user(self.billing).search_count([])
        )
        with self.assertRaises(AccessError):
            self.voucher.with_user(self.billing).write({"note": "x"})
        with self.assertRaises(AccessError):
            self.voucher.with_user(self.billing)._adjust(1, "x")

    def test_director_approves_manager_adjusts(self):
        with self.assertRaises(AccessError):
            self.voucher.with_user(self.director)._adjust(1, "x")
        self.voucher.with_user(self.manager)._adjust(1, "Goodwill")
        self.assertBalance(self.voucher, 10)
        with self.assertRaises(AccessError):
            self.voucher.with_user(self.manager).action_approve_transfer()

    def test_multi_company(self):
        env_b = self.env(
            user=self.receptionist_b,
            context=dict(self.env.context, allowed_company_ids=self.company_b.ids),
        )
        self.assertFalse(env_b["psy.voucher"].search([]))
        self.assertFalse(env_b["psy.voucher.line"].search([]))
        self.assertFalse(env_b["psy.voucher.report"].search([]))
        with self.assertRaises(AccessError):
            self.voucher.with_env(env_b).read(["remaining"])

    def test_patient_smart_button(self):
        self._voucher(self._pack(psy_voucher_sessions=3))
        self._voucher(activate=False)
        patient = self.patient.with_user(self.receptionist)
        self.assertEqual(patient.voucher_active_count, 2)
        self.assertEqual(patient.voucher_remaining, 12)
        action = patient.action_view_vouchers()
        self.assertEqual(action["domain"], [("patient_id", "=", self.patient.id)])
