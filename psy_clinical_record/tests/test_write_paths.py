"""Hostile write paths: what a browser or an RPC script may send.

Every role of the design, with and without each context key that existed
before issue 11, tries the direct ``create``/``write``/``unlink`` of each
guarded field of the clinical models: it is refused and nothing changes (a
signed note keeps its content, its SHA-256 still matches it, it stays on its
patient and its session).
"""

from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import SIGNED_TEXT, PsyClinicalCommon

# The context keys this module (and the clock) read before issue 11: the
# audit switch, the uninstall flag that let a signed note or addendum be
# deleted, and the clock.
OLD_CONTEXTS = {
    "no context key": {},
    "psy_audit_skip": {"psy_audit_skip": True},
    "psy_audit_nested": {"psy_audit_nested": True},
    "_force_unlink": {"_force_unlink": True},
    "psy_now": {"psy_now": "2020-01-01 00:00:00"},
    "psy_today": {"psy_today": "2020-01-01"},
    "all keys": {
        "psy_audit_skip": True,
        "psy_audit_nested": True,
        "_force_unlink": True,
        "psy_now": "2020-01-01 00:00:00",
        "psy_today": "2020-01-01",
    },
}


@tagged("post_install", "-at_install")
class TestWritePaths(PsyClinicalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        as_psy = cls.env(user=cls.psychologist)
        cls.addendum.with_env(as_psy).action_sign()
        cls.addendum_draft = as_psy["psy.session.note.addendum"].create(
            {
                "note_id": cls.note_signed.id,
                "reason": "Precision",
                "content": "Also on Sundays.",
            }
        )
        # A record of another patient, and a completed session without note.
        cls.record_2 = cls.env(user=cls.psychologist_2)["psy.clinical.record"].create(
            {"patient_id": cls.patient_2.id, "reason": "Other patient"}
        )
        cls.session_free = cls._done_session()
        # A session of the patient run by a psychologist who does not treat
        # her (a substitute).
        cls.session_substitute = cls._done_session(professional=cls.psychologist_2)
        cls.patient_new = cls._assigned_patient()
        cls.grant = (
            cls.env(user=cls.director)["psy.clinical.access.grant"]
            .create(
                {
                    "patient_id": cls.patient.id,
                    "user_id": cls.psychologist_2.id,
                    "date_to": date(2099, 1, 1),
                    "reason": "Covering a leave",
                }
            )
            .sudo()
        )
        cls.grant_revoked = (
            cls.env(user=cls.director)["psy.clinical.access.grant"]
            .create(
                {
                    "patient_id": cls.patient_2.id,
                    "user_id": cls.psychologist.id,
                    "date_to": date(2099, 1, 1),
                    "reason": "Second opinion",
                }
            )
            .sudo()
        )
        cls.grant_revoked.with_user(cls.director).action_revoke()
        cls.blocked = cls._assigned_patient(lastname="Blocked")
        cls.blocked.psy_blocked_reason = "Erasure request"
        cls.blocked.with_user(cls.director).action_psy_block()
        cls.hash_signed = cls.note_signed.content_hash

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _roles(self):
        return {
            "receptionist": self.receptionist,
            "psychologist (treating)": self.psychologist,
            "psychologist (not treating)": self.psychologist_2,
            "director": self.director,
            "billing": self.billing,
            "manager": self.manager,
        }

    def _values(self, record, names):
        record = record.sudo()
        values = {}
        for name in names:
            value = record[name]
            values[name] = value.ids if hasattr(value, "ids") else value
        return values

    def _check_signed_note_intact(self):
        note = self.note_signed.sudo()
        self.assertEqual(note.state, "signed")
        self.assertEqual(note.plan, SIGNED_TEXT)
        self.assertEqual(note.content_hash, self.hash_signed)
        self.assertTrue(note.hash_valid)
        self.assertEqual(note.patient_id, self.patient)
        self.assertEqual(note.record_id.patient_id, self.patient)
        self.assertEqual(note.session_id, self.session_2)
        self.assertEqual(note.session_id.patient_id, self.patient)
        self.assertEqual(note.company_id, self.company_a)
        addendum = self.addendum.sudo()
        self.assertEqual(addendum.state, "signed")
        self.assertEqual(addendum.content_hash, addendum._content_hash())

    def _assert_refused(self, operation, check):
        """``operation`` raises an access or user error, and ``check`` (run in
        the same transaction, before any rollback) finds nothing changed."""
        with self.env.cr.savepoint() as savepoint:
            refused = False
            try:
                operation()
            except (AccessError, UserError):
                refused = True
            self.assertTrue(refused, "the operation was not refused")
            check()
            self._check_signed_note_intact()
            savepoint.close(rollback=True)

    def _each_attempt(self):
        for role, user in self._roles().items():
            for key, context in OLD_CONTEXTS.items():
                yield role, user, key, context

    def _hostile_writes(self):
        """``(label, target, {field: hostile value})`` for every guarded
        field of every clinical model."""
        # Somebody who is none of the roles tried.
        other_user = self.env.ref("base.user_admin").id
        return [
            (
                "signed note",
                self.note_signed,
                {
                    "state": "draft",
                    "signed_by_id": other_user,
                    "signed_date": "2020-01-01 00:00:00",
                    "content_hash": "0" * 64,
                    "overdue_flagged": True,
                    "patient_id": self.patient_2.id,
                    "company_id": self.company_b.id,
                    "session_date": "2020-01-01 00:00:00",
                    "note_format": "free",
                    "record_id": self.record_2.id,
                    "session_id": self.session_free.id,
                    "professional_id": other_user,
                    "template_id": self.env.ref(
                        "psy_clinical_record.note_template_free"
                    ).id,
                    "plan": "rewritten",
                    "subjective": "rewritten",
                    "addendum_ids": [(5, 0, 0)],
                },
            ),
            (
                "draft note",
                self.note_draft,
                {
                    "state": "signed",
                    "signed_by_id": self.psychologist.id,
                    "signed_date": "2026-11-23 08:00:00",
                    "content_hash": "0" * 64,
                    "overdue_flagged": True,
                    "patient_id": self.patient_2.id,
                    "company_id": self.company_b.id,
                    "session_date": "2020-01-01 00:00:00",
                    "note_format": "free",
                },
            ),
            (
                "signed addendum",
                self.addendum,
                {
                    "state": "draft",
                    "signed_date": "2020-01-01 00:00:00",
                    "content_hash": "0" * 64,
                    "author_id": other_user,
                    "record_id": self.record_2.id,
                    "patient_id": self.patient_2.id,
                    "company_id": self.company_b.id,
                    "content": "rewritten",
                    "note_id": self.note_draft.id,
                },
            ),
            (
                "draft addendum",
                self.addendum_draft,
                {
                    # Backdating a draft before signing it.
                    "date": "2020-01-01 00:00:00",
                    "state": "signed",
                    "signed_date": "2026-11-23 08:00:00",
                    "content_hash": "0" * 64,
                    "author_id": other_user,
                    "record_id": self.record_2.id,
                    "patient_id": self.patient_2.id,
                    "company_id": self.company_b.id,
                },
            ),
            (
                "clinical record",
                self.record,
                {
                    "patient_id": self.patient_2.id,
                    "company_id": self.company_b.id,
                    "professional_id": other_user,
                },
            ),
            (
                "diagnosis",
                self.diagnosis,
                {"patient_id": self.patient_2.id, "company_id": self.company_b.id},
            ),
            (
                "treatment goal",
                self.goal,
                {"patient_id": self.patient_2.id, "company_id": self.company_b.id},
            ),
            (
                "private note",
                self.private_note,
                {
                    "author_id": other_user,
                    "patient_id": self.patient_2.id,
                    "company_id": self.company_b.id,
                },
            ),
            (
                "active grant",
                self.grant,
                {
                    "state": "revoked",
                    "granted_by_id": self.psychologist_2.id,
                    "company_id": self.company_b.id,
                    "patient_id": self.patient_2.id,
                    "user_id": self.psychologist.id,
                    "date_from": "2020-01-01",
                    "date_to": "2199-12-31",
                    "reason": "rewritten",
                },
            ),
            (
                "revoked grant",
                self.grant_revoked,
                {"state": "active", "date_to": "2199-12-31"},
            ),
            (
                "blocked patient",
                self.blocked,
                {"psy_blocked": False, "psy_blocked_date": False},
            ),
            (
                "patient",
                self.patient,
                {"psy_blocked": True, "psy_blocked_date": "2026-11-23"},
            ),
        ]

    # ------------------------------------------------------------------
    # write
    # ------------------------------------------------------------------

    def test_direct_writes_refused(self):
        for label, target, hostile in self._hostile_writes():
            before = self._values(target, hostile)
            for role, user, key, context in self._each_attempt():
                for name, value in hostile.items():
                    with self.subTest(target=label, field=name, role=role, context=key):
                        self._assert_refused(
                            lambda target=target,
                            user=user,
                            context=context,
                            vals={name: value}: target.with_user(user)
                            .with_context(**context)
                            .write(vals),
                            lambda target=target, before=before: self.assertEqual(
                                self._values(target, before), before
                            ),
                        )

    def test_guard_refuses_the_treating_psychologist(self):
        """The refusals above are the guard's, not only missing rights: the
        psychologist who may write the note gets the message naming the
        button."""
        note = self.note_draft.with_user(self.psychologist)
        with self.assertRaisesRegex(UserError, "Sign"):
            note.with_context(psy_now="2020-01-01 00:00:00").write(
                {"state": "signed", "content_hash": "0" * 64}
            )
        with self.assertRaisesRegex(UserError, "stays with this patient"):
            self.record.with_user(self.psychologist).write(
                {"patient_id": self.patient_new.id}
            )
        with self.assertRaisesRegex(UserError, "Revoke"):
            self.grant.with_user(self.director).write({"date_to": "2199-12-31"})
        with self.assertRaisesRegex(UserError, "Block"):
            self.blocked.with_user(self.receptionist).write({"psy_blocked": False})
        self.assertEqual(self.note_draft.state, "draft")

    def test_record_never_moves_to_another_patient(self):
        """The attack of issue 11: the psychologist moves the record (and its
        signed notes) to another patient she treats. Refused, for the
        superuser too, and through every path that could carry the change."""
        for env_label, record in (
            ("psychologist", self.record.with_user(self.psychologist)),
            ("superuser", self.record.sudo()),
        ):
            for key, context in OLD_CONTEXTS.items():
                with self.subTest(env=env_label, context=key):
                    self._assert_refused(
                        lambda record=record, context=context: record.with_context(
                            **context
                        ).write({"patient_id": self.patient_new.id}),
                        lambda: self.assertEqual(self.record.patient_id, self.patient),
                    )
        # Writing the same patient again changes nothing and is accepted.
        self.record.with_user(self.psychologist).write({"patient_id": self.patient.id})
        self._check_signed_note_intact()

    def test_signed_note_not_changed_through_related_and_inverse_fields(self):
        as_psy = self.env(user=self.psychologist)
        record = self.record.with_env(as_psy)
        signed = self.note_signed.id
        signed_note = self.note_signed.with_env(as_psy)
        template = self.env.ref("psy_clinical_record.note_template_free")
        attempts = {
            "edit through the record's lines": lambda: record.write(
                {"note_ids": [(1, signed, {"plan": "rewritten"})]}
            ),
            "delete through the record's lines": lambda: record.write(
                {"note_ids": [(2, signed, 0)]}
            ),
            "detach through the record's lines": lambda: record.write(
                {"note_ids": [(3, signed, 0)]}
            ),
            "replace the record's lines": lambda: record.write(
                {"note_ids": [(6, 0, self.note_draft.ids)]}
            ),
            "clear the record's lines": lambda: record.write({"note_ids": [(5, 0, 0)]}),
            "add a signed note through the record": lambda: record.write(
                {
                    "note_ids": [
                        (
                            0,
                            0,
                            {
                                "session_id": self.session_free.id,
                                "template_id": self.soap.id,
                                "plan": "forged",
                                "state": "signed",
                                "content_hash": "0" * 64,
                            },
                        )
                    ]
                }
            ),
            "move the note's session to another patient": lambda: self.session_2.write(
                {"patient_id": self.patient_2.id}
            ),
            "move the note's session as superuser": lambda: self.session_2.sudo().write(
                {"patient_id": self.patient_new.id}
            ),
            "edit the note's addenda through the note": lambda: signed_note.write(
                {"addendum_ids": [(1, self.addendum.id, {"content": "x"})]}
            ),
        }
        for label, attempt in attempts.items():
            with self.subTest(attempt=label):
                self._assert_refused(attempt, lambda: None)
        # The template's format changes: the signed note keeps the format it
        # was signed in, and its fingerprint still matches.
        self.soap.sudo().note_format = "free"
        self.env.flush_all()
        self.note_signed.invalidate_recordset()
        self.assertEqual(self.note_signed.note_format, "soap")
        self._check_signed_note_intact()
        self.note_draft.sudo().template_id = template
        self.assertEqual(self.note_draft.note_format, "free")

    # ------------------------------------------------------------------
    # create
    # ------------------------------------------------------------------

    def _hostile_creates(self):
        """``(model, valid values, {field: hostile value})``."""
        # Somebody who is none of the roles tried.
        other_user = self.env.ref("base.user_admin").id
        return [
            (
                "psy.session.note",
                {
                    "record_id": self.record.id,
                    "session_id": self.session_free.id,
                    "template_id": self.soap.id,
                    "plan": "x",
                },
                {
                    "state": "signed",
                    "signed_by_id": self.psychologist.id,
                    "signed_date": "2026-11-23 08:00:00",
                    "content_hash": "0" * 64,
                    "overdue_flagged": True,
                    "patient_id": self.patient_2.id,
                    "company_id": self.company_b.id,
                    "session_date": "2020-01-01 00:00:00",
                    "note_format": "free",
                },
            ),
            (
                "psy.session.note.addendum",
                {"note_id": self.note_signed.id, "reason": "r", "content": "c"},
                {
                    "date": "2020-01-01 00:00:00",
                    "state": "signed",
                    "signed_date": "2026-11-23 08:00:00",
                    "content_hash": "0" * 64,
                    "author_id": other_user,
                    "record_id": self.record_2.id,
                    "patient_id": self.patient_2.id,
                    "company_id": self.company_b.id,
                },
            ),
            (
                "psy.clinical.record",
                {"patient_id": self.patient_new.id},
                {"company_id": self.company_b.id, "professional_id": other_user},
            ),
            (
                "psy.diagnosis",
                {
                    "record_id": self.record.id,
                    "code_id": self.code_depression.id,
                    "kind": "secondary",
                },
                {"patient_id": self.patient_2.id, "company_id": self.company_b.id},
            ),
            (
                "psy.private.note",
                {"record_id": self.record.id, "content": "mine"},
                {
                    "author_id": other_user,
                    "patient_id": self.patient_2.id,
                    "company_id": self.company_b.id,
                },
            ),
            (
                "psy.clinical.access.grant",
                {
                    "patient_id": self.patient.id,
                    "user_id": self.psychologist_2.id,
                    "date_to": "2099-01-01",
                    "reason": "r",
                },
                {
                    "state": "expired",
                    "granted_by_id": self.psychologist.id,
                    "company_id": self.company_b.id,
                },
            ),
            (
                "psy.patient",
                {"firstname": "New", "lastname": "Patient"},
                {"psy_blocked": True, "psy_blocked_date": "2026-11-23"},
            ),
        ]

    def test_direct_creates_refused(self):
        allowed = {
            "psy.clinical.access.grant": self.director,
            "psy.patient": self.receptionist,
        }
        for model, valid, hostile in self._hostile_creates():
            Model = self.env[model].sudo().with_context(active_test=False)
            count = Model.search_count([])
            # The valid values alone are accepted: what is refused below is
            # the hostile field.
            with self.subTest(model=model, control="valid values accepted"):
                with self.env.cr.savepoint() as savepoint:
                    user = allowed.get(model, self.psychologist)
                    self.assertTrue(self.env[model].with_user(user).create(valid))
                    savepoint.close(rollback=True)
            for role, user, key, context in self._each_attempt():
                for name, value in hostile.items():
                    with self.subTest(model=model, field=name, role=role, context=key):
                        self._assert_refused(
                            lambda model=model,
                            user=user,
                            context=context,
                            vals={
                                **valid,
                                name: value,
                            }: self.env[model]
                            .with_user(user)
                            .with_context(**context)
                            .create(vals),
                            lambda Model=Model, count=count: self.assertEqual(
                                Model.search_count([]), count
                            ),
                        )

    # ------------------------------------------------------------------
    # unlink
    # ------------------------------------------------------------------

    def test_direct_unlinks_refused(self):
        targets = {
            "signed note": self.note_signed,
            "signed addendum": self.addendum,
            "clinical record": self.record,
            "grant": self.grant,
            "access log line": self.log_line,
        }
        for label, target in targets.items():
            for role, user, key, context in self._each_attempt():
                with self.subTest(target=label, role=role, context=key):
                    self._assert_refused(
                        lambda target=target,
                        user=user,
                        context=context: target.with_user(user)
                        .with_context(**context)
                        .unlink(),
                        lambda target=target: self.assertTrue(target.sudo().exists()),
                    )
        # Not even as superuser with the uninstall flag a client can send:
        # only the server's own uninstallation (superuser and the flag) may.
        for label in ("signed note", "signed addendum", "access log line"):
            target = targets[label]
            with self.subTest(target=label, role="superuser"):
                self._assert_refused(
                    lambda target=target: target.sudo().unlink(),
                    lambda target=target: self.assertTrue(target.sudo().exists()),
                )
                self._assert_refused(
                    lambda target=target: target.with_user(self.director)
                    .with_context(_force_unlink=True)
                    .sudo(False)
                    .unlink(),
                    lambda target=target: self.assertTrue(target.sudo().exists()),
                )

    # ------------------------------------------------------------------
    # The audit cannot be switched off
    # ------------------------------------------------------------------

    def test_audit_written_with_old_switch(self):
        Log = self.env["psy.clinical.access.log"]
        for role, user in self._roles().items():
            if user not in (self.psychologist, self.director):
                continue
            for key, context in OLD_CONTEXTS.items():
                with self.subTest(role=role, context=key):
                    before = Log.search_count([("user_id", "=", user.id)])
                    note = self.note_signed.with_user(user).with_context(**context)
                    note.web_read({"plan": {}})
                    note.read(["plan"])
                    note.export_data(["plan"])
                    self.assertEqual(
                        Log.search_count([("user_id", "=", user.id)]), before + 3
                    )

    # ------------------------------------------------------------------
    # The actions still work (they are the only door)
    # ------------------------------------------------------------------

    def test_actions_change_the_guarded_fields(self):
        note = self.note_draft.with_user(self.psychologist)
        note.with_context(psy_now="2020-01-01 00:00:00").action_sign()
        self.assertEqual(note.state, "signed")
        self.assertEqual(note.signed_by_id, self.psychologist)
        # The clock is the real one (frozen by the test), not the context's.
        self.assertEqual(note.signed_date.date(), self.today)
        self.assertTrue(note.hash_valid)
        addendum = self.addendum_draft.with_user(self.psychologist)
        addendum.action_sign()
        self.assertEqual(addendum.state, "signed")
        with self.assertRaisesRegex(UserError, "director"):
            self.grant.with_user(self.psychologist).action_revoke()
        self.grant.with_user(self.director).action_revoke()
        self.assertEqual(self.grant.state, "revoked")
        self.blocked.with_user(self.director).action_psy_unblock()
        self.assertFalse(self.blocked.psy_blocked)

    # ------------------------------------------------------------------
    # The clinical record button of a patient one does not treat
    # ------------------------------------------------------------------

    def test_record_button_for_a_patient_not_treated(self):
        Log = self.env["psy.clinical.access.log"]
        Record = self.env["psy.clinical.record"].sudo()
        logs = Log.search_count([])
        records = Record.search_count([])
        patient = self.patient.with_user(self.psychologist_2)
        self.grant.with_user(self.director).action_revoke()
        with self.assertRaisesRegex(
            AccessError, "You cannot open the clinical record"
        ) as error:
            patient.action_open_clinical_record()
        message = str(error.exception)
        self.assertIn(self.patient.name, message)
        self.assertIn(self.psychologist.name, message)
        self.assertIn("clinical director", message)
        self.assertIn("temporary access", message)
        # Saving an empty form the old way (a create over RPC) gets the same
        # message, not an IntegrityError.
        with self.assertRaisesRegex(AccessError, "You cannot open the clinical record"):
            self.env["psy.clinical.record"].with_user(self.psychologist_2).create(
                {"patient_id": self.patient.id}
            )
        # Nor does the session button open a form or create anything.
        session = self.session_substitute.with_user(self.psychologist_2)
        with self.assertRaisesRegex(AccessError, "You cannot open the clinical record"):
            session.action_open_clinical_note()
        self.assertEqual(Record.search_count([]), records)
        self.assertEqual(Log.search_count([]), logs)
        self.assertFalse(Log.search([("res_id", "=", 0)]))
        self.assertFalse(
            Log.search([("res_model", "=", "psy.clinical.record")]) - self.log_line
        )

    def test_record_button_for_each_role(self):
        # The treating psychologist opens the existing record...
        action = self.patient.with_user(self.psychologist).action_open_clinical_record()
        self.assertEqual(action["res_id"], self.record.id)
        # ... or a new one for a patient who has none.
        action = self.patient_new.with_user(
            self.psychologist
        ).action_open_clinical_record()
        self.assertNotIn("res_id", action)
        self.assertEqual(action["context"]["default_patient_id"], self.patient_new.id)
        # The director reads every record, but does not open a new one for a
        # patient she does not treat.
        action = self.patient.with_user(self.director).action_open_clinical_record()
        self.assertEqual(action["res_id"], self.record.id)
        with self.assertRaisesRegex(AccessError, "read it once they have opened it"):
            self.patient_new.with_user(self.director).action_open_clinical_record()
        # A psychologist with a temporary access opens it.
        action = self.patient.with_user(
            self.psychologist_2
        ).action_open_clinical_record()
        self.assertEqual(action["res_id"], self.record.id)
        # Blocked clinical data: only the director.
        with self.assertRaisesRegex(AccessError, "blocked"):
            self.blocked.with_user(self.psychologist).action_open_clinical_record()
        # Front desk and billing: the message, no form.
        for user in (self.receptionist, self.billing, self.manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.patient.with_user(user).action_open_clinical_record()
        self.assertFalse(
            self.env["psy.clinical.access.log"].search([("res_id", "=", 0)])
        )
