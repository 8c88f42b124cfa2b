"""No client skips a delete guard with the uninstall flag (issue 11, point 1).

Odoo calls the ``@api.ondelete(at_uninstall=False)`` methods only when the
context lacks ``MODULE_UNINSTALL_FLAG`` (``_force_unlink``), and a browser or
an RPC script may send that key. Every delete guard of the suite is therefore
``at_uninstall=True`` and lets the flag through only in the superuser
environment of a real uninstall. Here the administrator (every Psychology
role, not the superuser) sends the flag on each protected record of the demo
center: each deletion is refused and the record stays.
"""

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG

# model -> domain of a record that must never be deleted by a user
PROTECTED = {
    "psy.voucher.line": [],
    "psy.voucher": [("state", "not in", ("draft", "cancelled"))],
    "calendar.event": [("psy_session_id", "!=", False)],
    "psy.consent.template.version": [("state", "=", "published")],
    "psy.consent": [("state", "=", "signed")],
    "psy.consent.signature": [("state", "=", "signed")],
    "psy.session.note": [("state", "=", "signed")],
    "psy.patient": [("session_ids", "!=", False)],
}


@tagged("post_install", "-at_install")
class TestUninstallFlag(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.env.ref("base.user_admin")
        if not cls.env["psy.patient"].search_count([]):
            cls.skipTest(cls, "needs the demo center")

    def _assert_kept(self, records):
        self.assertTrue(records, "the demo center has such a record")
        as_admin = records.with_user(self.admin).with_context(
            **{MODULE_UNINSTALL_FLAG: True}
        )
        # AccessError is a UserError too.
        with self.assertRaises(UserError):
            as_admin.unlink()
        self.assertEqual(records.exists(), records)

    def test_delete_guards_ignore_the_flag(self):
        for model, domain in PROTECTED.items():
            with self.subTest(model=model):
                records = self.env[model].sudo().search(domain, limit=1)
                self._assert_kept(records)

    def test_signed_consent_document_kept(self):
        consent = self.env["psy.consent"].search(
            [("state", "=", "signed"), ("attachment_id", "!=", False)], limit=1
        )
        self._assert_kept(consent.attachment_id)
