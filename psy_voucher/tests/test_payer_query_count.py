from odoo import Command
from odoo.tests import tagged

from .common import PsyVoucherCommon


@tagged("post_install", "-at_install")
class TestPayerQueryCount(PsyVoucherCommon):
    """The cost of completing a group session grows with its participants
    only by each one's own link to their ledger line: the packs are found,
    locked and moved once for the whole group."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.group = cls.env["product.product"].create(
            {
                "name": "Mindfulness group",
                "type": "service",
                "is_psy_session_type": True,
                "psy_duration": 1.5,
                "psy_session_kind": "group",
                "psy_capacity": 20,
                "list_price": 25.0,
            }
        )
        cls.group_pack = cls._pack(
            name="Mindfulness 8 sessions",
            psy_voucher_sessions=8,
            psy_voucher_session_type_ids=[(6, 0, cls.group.product_tmpl_id.ids)],
        )
        cls.members = cls.env["psy.patient"]
        for i in range(16):
            cls.members |= cls._patient(firstname=f"Member {i}")
        for patient in cls.members:
            cls._voucher(cls.group_pack, patient=patient)

    def _queries_to_complete(self, patients):
        session = self.Session.create(
            {
                "participant_ids": [
                    Command.create({"patient_id": p.id}) for p in patients
                ],
                "professional_id": self.psychologist.id,
                "product_id": self.group.id,
                "room_id": False,
                "start": self._past_start(),
            }
        )
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        session.action_done()
        self.env.flush_all()
        queries = self.env.cr.sql_log_count - before
        self.assertEqual(len(session.participant_ids.voucher_line_id), len(patients))
        return queries

    def test_group_completion_cost_per_participant(self):
        self._queries_to_complete(self.members[:2])  # warm the caches
        four = self._queries_to_complete(self.members[:4])
        eight = self._queries_to_complete(self.members[4:12])
        # Measured: 46 queries for 4 participants, 62 for 8: the packs are
        # found and locked in one selection and moved in one ledger call for
        # the whole group; what grows is each participant's own link.
        self.assertLessEqual(eight - four, 4 * 5)
