from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import PsyConsentCommon

PAST = datetime(2020, 1, 1, 9, 0)


@tagged("post_install", "-at_install")
class TestConsentWritePaths(PsyConsentCommon):
    """Hostile write paths: every role, every guarded field, by direct
    create/write/unlink, with and without each context key that once changed
    the rules (psy_consent_publishing, psy_consent_signer_id,
    psy_consent_html_document, psy_now, psy_today). Each attempt is refused
    and changes nothing; only the actions change these fields."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.env.ref("base.user_admin")
        cls.roles = {
            "receptionist": cls.receptionist,
            "psychologist": cls.psychologist,
            "other psychologist": cls.psychologist_2,
            "director": cls.director,
            "billing": cls.billing,
            "manager": cls.manager,
            "portal patient": cls.portal_user,
            "administrator": cls.admin,
        }
        cls.draft = cls._consent()
        cls.other = cls._consent(template=cls.tpl_data)
        cls.signed = cls._consent(template=cls.tpl_teletherapy)
        cls.signed.action_send()
        line = cls.signed.signature_ids
        line.sudo()._record_signature(
            "Ana López García", cls.signature, "office", False, False
        )
        cls.pending_line = cls.draft.signature_ids
        cls.signed_line = cls.signed.signature_ids
        cls.forged_attachment = cls.env["ir.attachment"].create(
            {"name": "forged.pdf", "raw": b"%PDF forged"}
        )
        cls.draft_version = cls.env["psy.consent.template.version"].create(
            {"template_id": cls.tpl_treatment.id, "body": "<p>Draft text</p>"}
        )
        cls.contexts = [
            {},
            {"psy_consent_publishing": True},
            {"psy_consent_signer_id": cls.pending_line.id},
            {"psy_consent_html_document": True},
            {"psy_now": PAST},
            {"psy_today": PAST.date()},
        ]

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _consent_values(self, target):
        return {
            "state": "draft" if target.state == "signed" else "signed",
            "body_html": "<p>Forged text</p>",
            "guardian_rule": "one",
            "signature_ids": [
                Command.create(
                    {"partner_id": self.patient_2.partner_id.id, "role": "patient"}
                )
            ],
            "signed_date": PAST,
            "sign_method": "portal",
            "attachment_id": self.forged_attachment.id,
            "pdf_sha256": "0" * 64,
            "sent_date": PAST,
            "last_reminder_date": PAST,
            "reminder_count": 2,
            "refusal_date": PAST,
            "refusal_reason": "Forged",
            "refused_by": "Somebody",
            "revocation_date": PAST,
            "revocation_reason": "Forged",
            "revoked_by": "Somebody",
            "revocation_channel": "portal",
            "superseded_date": PAST,
            "superseded_by_id": self.other.id,
            "expiry_date": date(2020, 1, 1),
            "needs_renewal": True,
            "patient_partner_id": self.mother.id,
            "company_id": self.company_b.id,
            "type_id": self.type_data.id,
            "lang": "es_ES",
            "name": "FORGED-1",
            "version_id": self.tpl_data.current_version_id.id,
        }

    def _signature_values(self):
        return {
            "consent_id": self.other.id,
            "sequence": 99,
            "role": "guardian",
            "partner_id": self.mother.id,
            "guardian_id": self.minor.guardian_ids[:1].id,
            "required": False,
            "state": "signed",
            "signed_name": "Forged name",
            "signature": self.signature,
            "signed_on": PAST,
            "method": "portal",
            "ip_address": "10.0.0.1",
            "user_agent": "Forged browser",
            "refusal_reason": "Forged",
            "company_id": self.company_b.id,
            "relationship": "father",
        }

    def _snapshot(self, record, fnames):
        record.invalidate_recordset()
        values = record.sudo().read(list(fnames))[0]
        values.pop("id", None)
        return values

    def _assert_refused(self, record, user, context, vals, label):
        """``vals`` written on ``record`` by ``user`` with ``context``: refused,
        and the record unchanged."""
        before = self._snapshot(record, vals)
        with self.subTest(label), self.assertRaises(UserError):
            record.with_user(user).with_context(**context).write(vals)
        self.assertEqual(self._snapshot(record, vals), before, label)

    def _attempts(self):
        for role, user in self.roles.items():
            for context in self.contexts:
                yield role, user, context

    # ------------------------------------------------------------------
    # Consents
    # ------------------------------------------------------------------

    def test_consent_guarded_fields_refused_on_write(self):
        for target in (self.draft, self.signed):
            values = self._consent_values(target)
            for role, user, context in self._attempts():
                for fname, value in values.items():
                    self._assert_refused(
                        target,
                        user,
                        context,
                        {fname: value},
                        f"{role} writes {fname} on {target.state} with {context}",
                    )
        self.assertEqual(self.draft.state, "draft")
        self.assertEqual(self.signed.state, "signed")
        self.assertEqual(self.signed.signature_ids, self.signed_line)

    def test_consent_guarded_fields_refused_on_create(self):
        values = self._consent_values(self.draft)
        values.pop("version_id")  # a wrong version is refused below
        count = self.Consent.sudo().search_count([])
        for role, user, context in self._attempts():
            for fname, value in values.items():
                vals = {
                    "patient_id": self.patient.id,
                    "template_id": self.tpl_treatment.id,
                    fname: value,
                }
                with (
                    self.subTest(f"{role} creates with {fname} and {context}"),
                    self.assertRaises(UserError),
                ):
                    self.Consent.with_user(user).with_context(**context).create(vals)
            with self.subTest(f"{role} creates on another version"):
                with self.assertRaises(UserError):
                    self.Consent.with_user(user).with_context(**context).create(
                        {
                            "patient_id": self.patient.id,
                            "template_id": self.tpl_treatment.id,
                            "version_id": self.tpl_data.current_version_id.id,
                        }
                    )
        self.assertEqual(self.Consent.sudo().search_count([]), count)

    def test_consent_unlink_refused(self):
        for role, user, context in self._attempts():
            with self.subTest(f"{role} deletes a signed consent with {context}"):
                with self.assertRaises(UserError):
                    self.signed.with_user(user).with_context(**context).unlink()
            with self.subTest(f"{role} deletes a sent consent with {context}"):
                sent = self.other
                sent.sudo()._psy_write_guarded({"state": "sent"})
                with self.assertRaises(UserError):
                    sent.with_user(user).with_context(**context).unlink()
        self.assertTrue(self.signed.exists())
        self.assertTrue(self.signed.attachment_id.exists())

    def test_consent_actions_refused_to_roles_without_access(self):
        for user in (self.billing, self.portal_user, self.psychologist_2):
            for context in self.contexts:
                consent = self.draft.with_user(user).with_context(**context)
                with self.subTest(user=user.login, context=context):
                    with self.assertRaises(AccessError):
                        consent.action_send()
                    with self.assertRaises(AccessError):
                        consent.action_sign_in_office()
        self.assertEqual(self.draft.state, "draft")

    # ------------------------------------------------------------------
    # Signer lines
    # ------------------------------------------------------------------

    def test_signature_guarded_fields_refused_on_write(self):
        values = self._signature_values()
        for line in (self.pending_line, self.signed_line):
            for role, user, context in self._attempts():
                for fname, value in values.items():
                    self._assert_refused(
                        line,
                        user,
                        context,
                        {fname: value},
                        f"{role} writes {fname} on a {line.state} line with {context}",
                    )
        self.assertEqual(self.pending_line.state, "pending")
        self.assertFalse(self.pending_line.signature)

    def test_signature_create_and_unlink_refused(self):
        Line = self.env["psy.consent.signature"]
        count = Line.sudo().search_count([])
        for role, user, context in self._attempts():
            with self.subTest(f"{role} adds a signer with {context}"):
                with self.assertRaises(UserError):
                    Line.with_user(user).with_context(**context).create(
                        {
                            "consent_id": self.draft.id,
                            "partner_id": self.patient_2.partner_id.id,
                            "role": "patient",
                        }
                    )
            with self.subTest(f"{role} adds a signer to the consent with {context}"):
                with self.assertRaises(UserError):
                    self.draft.with_user(user).with_context(**context).write(
                        {
                            "signature_ids": [
                                Command.create(
                                    {
                                        "partner_id": self.patient_2.partner_id.id,
                                        "role": "patient",
                                    }
                                )
                            ]
                        }
                    )
            for line in (self.pending_line, self.signed_line):
                with self.subTest(f"{role} deletes a {line.state} line, {context}"):
                    with self.assertRaises(UserError):
                        line.with_user(user).with_context(**context).unlink()
        self.assertEqual(Line.sudo().search_count([]), count)
        self.assertEqual(self.draft.signature_ids, self.pending_line)

    def test_refuse_wizard_only_for_the_lines_of_the_consent(self):
        """A psychologist may not refuse the line of another patient's
        consent, neither through her own patient's consent nor directly."""
        foreign = self._consent(patient=self.patient_2)
        foreign_line = foreign.signature_ids
        Wizard = self.env["psy.consent.reason.wizard"].with_user(self.psychologist)
        for context in self.contexts:
            wizard = Wizard.with_context(**context).create(
                {
                    "consent_id": self.draft.id,
                    "mode": "refuse",
                    "signer_id": foreign_line.id,
                    "reason": "Forged refusal",
                }
            )
            with self.subTest(context=context), self.assertRaises(UserError):
                wizard.action_confirm()
            wizard = Wizard.with_context(**context).create(
                {
                    "consent_id": foreign.id,
                    "mode": "refuse",
                    "signer_id": foreign_line.id,
                    "reason": "Forged refusal",
                }
            )
            with self.subTest(context=context), self.assertRaises(AccessError):
                wizard.action_confirm()
        self.assertEqual(foreign_line.state, "pending")
        self.assertEqual(foreign.state, "draft")
        self.assertEqual(self.draft.state, "draft")
        # Nor the sign wizard.
        wizard = (
            self.env["psy.consent.sign.wizard"]
            .with_user(self.psychologist)
            .create(
                {
                    "consent_id": self.draft.id,
                    "signer_id": foreign_line.id,
                    "signed_name": "Bruno Díaz",
                    "signature": self.signature,
                    "has_read": True,
                }
            )
        )
        with self.assertRaises(UserError):
            wizard.action_sign()
        self.assertEqual(foreign_line.state, "pending")

    # ------------------------------------------------------------------
    # Template versions
    # ------------------------------------------------------------------

    def test_version_guarded_fields_refused(self):
        published = self.v1
        cases = [
            (published, {"state": "draft"}),
            (published, {"published_date": PAST}),
            (published, {"published_by_id": self.receptionist.id}),
            (published, {"body": "<p>Rewritten after signature</p>"}),
            (published, {"template_id": self.tpl_data.id}),
            (published, {"number": 42}),
            (self.draft_version, {"state": "published"}),
            (self.draft_version, {"published_date": PAST}),
            (self.draft_version, {"published_by_id": self.manager.id}),
            (self.draft_version, {"number": 42}),
        ]
        body = published.body
        for role, user, context in self._attempts():
            for version, vals in cases:
                self._assert_refused(
                    version,
                    user,
                    context,
                    vals,
                    f"{role} writes {vals} on {version.state} version, {context}",
                )
        # Not even the superuser rewrites a published text.
        for context in self.contexts:
            with self.assertRaisesRegex(UserError, "is published"):
                published.sudo().with_context(**context).write({"body": "<p>X</p>"})
        self.assertEqual(published.body, body)
        self.assertEqual(self.draft_version.state, "draft")
        Version = self.env["psy.consent.template.version"]
        count = Version.sudo().search_count([])
        for role, user, context in self._attempts():
            with self.subTest(f"{role} creates a published version, {context}"):
                with self.assertRaises(UserError):
                    Version.with_user(user).with_context(**context).create(
                        {
                            "template_id": self.tpl_data.id,
                            "body": "<p>Text</p>",
                            "state": "published",
                            "published_date": PAST,
                        }
                    )
            with self.subTest(f"{role} deletes a published version, {context}"):
                with self.assertRaises(UserError):
                    published.with_user(user).with_context(**context).unlink()
        self.assertEqual(Version.sudo().search_count([]), count)
        # Publishing is the action.
        self.draft_version.with_user(self.manager).action_publish()
        self.assertEqual(self.draft_version.state, "published")
        self.assertEqual(self.draft_version.published_by_id, self.manager)

    # ------------------------------------------------------------------
    # Related fields do not carry a change into a signed consent
    # ------------------------------------------------------------------

    def test_related_fields_do_not_change_a_signed_consent(self):
        partner = self.signed.patient_partner_id
        for user in (self.receptionist, self.manager, self.admin):
            with self.subTest(user=user.login), self.assertRaises(UserError):
                self.tpl_teletherapy.with_user(user).write(
                    {"type_id": self.type_data.id}
                )
            with self.subTest(user=user.login), self.assertRaises(UserError):
                self.tpl_teletherapy.with_user(user).write(
                    {"company_id": self.company_b.id}
                )
            with self.subTest(user=user.login), self.assertRaises(UserError):
                self.patient.with_user(user).write({"partner_id": self.mother.id})
        with self.assertRaises(UserError):
            self.patient.sudo().write({"partner_id": self.mother.id})
        with self.assertRaises(UserError):
            self.tpl_teletherapy.sudo().write({"type_id": self.type_data.id})
        self.assertEqual(self.signed.type_id, self.type_teletherapy)
        self.assertEqual(self.signed.patient_partner_id, partner)
        self.assertEqual(self.signed.company_id, self.company_a)

    # ------------------------------------------------------------------
    # The clock: signatures cannot be backdated
    # ------------------------------------------------------------------

    def test_signed_consent_cannot_be_backdated(self):
        signed_at = datetime(2026, 11, 23, 9, 30)
        for context in self.contexts:
            consent = self._consent(template=self.tpl_data)
            with freeze_time(signed_at):
                consent = consent.with_context(**context)
                self._sign(consent)
            with self.subTest(context=context):
                self.assertEqual(consent.state, "signed")
                self.assertEqual(consent.signed_date, signed_at)
                self.assertEqual(consent.signature_ids.signed_on, signed_at)
                for fname, value in (("signed_date", PAST), ("signed_on", PAST)):
                    record = (
                        consent if fname == "signed_date" else consent.signature_ids
                    )
                    self._assert_refused(
                        record,
                        self.receptionist,
                        context,
                        {fname: value},
                        f"backdate {fname} with {context}",
                    )
            revoked_at = signed_at + timedelta(days=1)
            with freeze_time(revoked_at):
                wizard = (
                    self.env["psy.consent.reason.wizard"]
                    .with_user(self.receptionist)
                    .with_context(**context)
                    .create(
                        {
                            "consent_id": consent.id,
                            "mode": "revoke",
                            "reason": "Written request.",
                        }
                    )
                )
                wizard.action_confirm()
            self.assertEqual(consent.revocation_date, revoked_at)
        # Sending is dated by the clock as well.
        consent = self._consent(template=self.tpl_data)
        with freeze_time(signed_at):
            consent.with_user(self.receptionist).with_context(
                psy_now=PAST
            ).action_send()
        self.assertEqual(consent.sent_date, signed_at)

    # ------------------------------------------------------------------
    # Sessions: the consent override and the gate
    # ------------------------------------------------------------------

    def test_consent_override_is_a_director_action(self):
        self.company_a.psy_consent_type_ids = self.type_treatment
        session = self._session()
        values = {
            "consent_override": True,
            "consent_override_reason": "Forged",
            "consent_override_user_id": self.director.id,
            "consent_override_date": PAST,
        }
        for role, user, context in self._attempts():
            for fname, value in values.items():
                self._assert_refused(
                    session,
                    user,
                    context,
                    {fname: value},
                    f"{role} writes {fname} on a session with {context}",
                )
            with self.subTest(f"{role} creates an overridden session, {context}"):
                with self.assertRaises(UserError):
                    self.Session.with_user(user).with_context(**context).create(
                        {
                            "patient_id": self.patient.id,
                            "professional_id": self.psychologist.id,
                            "product_id": self.individual.id,
                            "room_id": self.room_2.id,
                            "start": self.slot + timedelta(days=2),
                            "consent_override": True,
                        }
                    )
        for user in (self.receptionist, self.psychologist, self.manager):
            with self.assertRaises(AccessError):
                session.with_user(user)._override_consent_check("Because")
        self.assertFalse(session.consent_override)
        # The status cannot be written to skip the gate, and even a write as
        # superuser passes the gate.
        with freeze_time(self.slot + timedelta(hours=1)):
            for context in self.contexts:
                with self.assertRaises(UserError):
                    session.with_user(self.receptionist).with_context(**context).write(
                        {"state": "done"}
                    )
                with self.assertRaisesRegex(UserError, "no valid consent"):
                    session.sudo().with_context(**context).write({"state": "done"})
                with self.assertRaisesRegex(UserError, "no valid consent"):
                    session.with_user(self.psychologist).with_context(
                        **context
                    ).action_done()
        self.assertEqual(session.state, "scheduled")
        # The director's action, with a reason, logged.
        session.with_user(self.director)._override_consent_check("Crisis session.")
        self.assertTrue(session.consent_override)
        self.assertEqual(session.consent_override_user_id, self.director)
        with freeze_time(self.slot + timedelta(hours=1)):
            session.with_user(self.psychologist).action_done()
        self.assertEqual(session.state, "done")
