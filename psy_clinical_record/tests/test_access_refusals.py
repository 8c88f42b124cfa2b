from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import PsyClinicalCommon

GENERIC = ("Uh-oh", "top-secret", "You are not allowed to access")


@tagged("post_install", "-at_install")
class TestAccessRefusals(PsyClinicalCommon):
    """Refusals on health data say in one sentence what the user cannot do
    and who can, in the user's language, instead of Odoo's generic text."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("es_ES")

    def _refusal(self, call):
        with self.assertRaises(AccessError) as caught:
            call()
        message = str(caught.exception)
        for generic in GENERIC:
            self.assertNotIn(generic, message)
        self.assertNotIn("\n", message.strip())
        return message

    def test_psychologist_opening_another_psychologists_record(self):
        record = self.record.with_user(self.psychologist_2)
        message = self._refusal(lambda: record.web_read({"reason": {}}))
        self.assertEqual(
            message,
            "You cannot read the clinical record of a patient you do not treat: "
            "only the patient's psychologists and the clinical director can, or "
            "a psychologist the director gives temporary access.",
        )
        # Nothing of the record leaks in the message.
        self.assertNotIn(self.patient.name, message)

    def test_message_per_role(self):
        cases = [
            (
                self.receptionist,
                lambda user: self.record.with_user(user).read(["reason"]),
                "You cannot read the clinical record of a patient you do not treat",
            ),
            (
                self.billing,
                lambda user: self.note_signed.with_user(user).read(["plan"]),
                "You cannot read the clinical record of a patient you do not treat",
            ),
            (
                self.billing,
                lambda user: self.patient.with_user(user).read(["name"]),
                "You cannot open patient files: only the front desk, the "
                "psychologists and the clinical director can.",
            ),
            (
                self.psychologist_2,
                lambda user: self.patient.with_user(user).write({"lastname": "X"}),
                "You cannot change this patient's file: only the front desk, the "
                "clinical director and the psychologists who treat the patient can.",
            ),
            (
                self.psychologist_2,
                lambda user: self.session_1.with_user(user).write({"note": "x"}),
                "You cannot change this session: only the front desk, the clinical "
                "director and the psychologist who runs it can.",
            ),
            (
                self.billing,
                lambda user: self.session_1.with_user(user).write({"note": "x"}),
                "You cannot change this session: only the front desk, the clinical "
                "director and the psychologist who runs it can.",
            ),
            (
                self.director,
                lambda user: self.private_note.with_user(user).read(["content"]),
                "You cannot read this private note: only its author can, and the "
                "clinical director when the author shares it.",
            ),
            (
                self.psychologist,
                lambda user: self.log_line.with_user(user).read(["action"]),
                "You cannot read the clinical access log: only the clinical "
                "director can.",
            ),
            (
                self.director,
                lambda user: self.log_line.with_user(user).unlink(),
                "Nobody can delete lines of the clinical access log",
            ),
        ]
        for user, call, expected in cases:
            with self.subTest(user=user.login, expected=expected):
                message = self._refusal(lambda user=user, call=call: call(user))
                self.assertTrue(message.startswith(expected), message)

    def test_message_in_the_users_language(self):
        self.psychologist_2.lang = "es_ES"
        record = self.record.with_user(self.psychologist_2)
        message = self._refusal(lambda: record.read(["reason"]))
        self.assertTrue(
            message.startswith("No puede leer la historia clínica"), message
        )

    def test_other_center(self):
        self.receptionist_b.write(
            {"company_ids": [(4, self.company_a.id)], "lang": "en_US"}
        )
        patient = self.patient.with_user(self.receptionist_b).with_context(
            allowed_company_ids=[self.company_b.id]
        )
        message = self._refusal(lambda: patient.read(["name"]))
        self.assertEqual(
            message,
            "This record belongs to the center Centro Alfa: switch to it in the "
            "company menu at the top right to open it.",
        )

    def test_other_models_keep_odoos_message(self):
        with self.assertRaises(AccessError) as caught:
            self.env["res.users"].with_user(self.receptionist).create(
                {"name": "x", "login": "x"}
            )
        self.assertIn("You are not allowed", str(caught.exception))
