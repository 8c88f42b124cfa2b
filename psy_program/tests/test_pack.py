from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import PsyProgramCommon


@tagged("post_install", "-at_install")
class TestProgramPack(PsyProgramCommon):
    """A program is sold as a pack: a session pack covering its group session
    type with as many sessions as the program."""

    def test_pack_must_fit_the_program(self):
        with self.assertRaisesRegex(ValidationError, "does not fit the program"):
            self._program(pack_product_id=self.pack10.id)
        with self.assertRaisesRegex(ValidationError, "does not fit the program"):
            self._program(pack_product_id=self.program_pack.id, planned_count=6)
        program = self._program(pack_product_id=self.program_pack.id)
        self.assertEqual(program.pack_product_id, self.program_pack)

    def test_sell_pack_creates_draft_voucher(self):
        program = self._open_program(pack_product_id=self.program_pack.id, capacity=1)
        enrolled, waiting = self._enrol(program, self.patients[:2])
        action = enrolled.with_user(self.receptionist).action_sell_pack()
        voucher = enrolled.voucher_id
        self.assertEqual(action["res_model"], "psy.voucher")
        self.assertEqual(action["res_id"], voucher.id)
        self.assertEqual(voucher.state, "draft")
        self.assertEqual(voucher.patient_id, enrolled.patient_id)
        self.assertEqual(voucher.product_id, self.program_pack)
        self.assertEqual(voucher.sessions_total, 8)
        self.assertEqual(voucher.remaining, 8)
        self.assertEqual(voucher.company_id, self.company_a)
        self.assertEqual(enrolled.voucher_state, "draft")
        with self.assertRaisesRegex(UserError, "already has the pack"):
            enrolled.with_user(self.receptionist).action_sell_pack()
        with self.assertRaisesRegex(UserError, "has no place"):
            waiting.with_user(self.receptionist).action_sell_pack()
        self.assertFalse(waiting.voucher_id)
        # A cancelled pack may be sold again.
        voucher.with_user(self.receptionist).action_cancel()
        enrolled.with_user(self.receptionist).action_sell_pack()
        self.assertNotEqual(enrolled.voucher_id, voucher)
        self.assertEqual(enrolled.voucher_id.state, "draft")

    def test_sell_pack_needs_a_pack_and_the_front_desk(self):
        program = self._open_program()
        enrolment = self._enrol(program, self.patients[0])
        with self.assertRaisesRegex(UserError, "has no pack"):
            enrolment.with_user(self.receptionist).action_sell_pack()
        program.pack_product_id = self.program_pack
        for role in ("psychologist", "billing"):
            with self.assertRaises(AccessError):
                enrolment.with_user(self.roles[role]).action_sell_pack()
        self.assertFalse(enrolment.voucher_id)
        self.assertFalse(
            self.env["psy.voucher"].search([("product_id", "=", self.program_pack.id)])
        )

    def test_create_pack_product(self):
        program = self._program(planned_count=6)
        program.with_user(self.manager).action_create_pack_product()
        pack = program.pack_product_id
        self.assertTrue(pack.is_psy_voucher)
        self.assertEqual(pack.psy_voucher_sessions, 6)
        self.assertEqual(
            pack.psy_voucher_session_type_ids, self.group_type.product_tmpl_id
        )
        self.assertEqual(pack.list_price, 6 * 30.0)
        with self.assertRaisesRegex(UserError, "already has its pack"):
            program.with_user(self.manager).action_create_pack_product()
        other = self._program(name="Other")
        with self.assertRaises(AccessError):
            other.with_user(self.receptionist).action_create_pack_product()
        self.assertFalse(other.pack_product_id)

    def test_program_pack_pays_the_sessions(self):
        """The sold pack is consumed by its patient's attendance to the
        program's sessions (psy_voucher's per-participant consumption)."""
        program = self._open_program(pack_product_id=self.program_pack.id, capacity=2)
        with_pack, without_pack = self._enrol(program, self.patients[:2])
        with_pack.with_user(self.receptionist).action_sell_pack()
        voucher = with_pack.voucher_id
        # Activated as every sold pack (its invoice once billing is installed).
        voucher._psy_check_draft_sellable()
        voucher._psy_activate()
        first = program.session_ids.sorted("start")[0]
        with freeze_time(self.first_start + timedelta(hours=3)):
            first.action_done()
        self.assertEqual(voucher.remaining, 7)
        line = first.participant_ids.filtered(
            lambda p: p.patient_id == with_pack.patient_id
        )
        self.assertEqual(line.voucher_id, voucher)
        other = first.participant_ids - line
        self.assertFalse(other.voucher_id)
        self.assertEqual(other.patient_id, without_pack.patient_id)
