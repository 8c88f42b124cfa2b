from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import PsyClinicalCommon

OPS = ("read", "search", "group", "write", "create", "unlink", "export", "report")

# Expected outcome per kind of user: ok, denied (AccessError) or empty
# (the search runs and finds nothing).
CLINICAL = {
    "none": dict.fromkeys(OPS, "denied"),
    "own": {**dict.fromkeys(OPS, "ok"), "unlink": "denied"},
    "other": {
        **dict.fromkeys(OPS, "denied"),
        "search": "empty",
        "group": "empty",
    },
    "director": {
        **dict.fromkeys(OPS, "ok"),
        "write": "denied",
        "create": "denied",
        "unlink": "denied",
    },
}
PRIVATE = {
    "none": dict.fromkeys(OPS, "denied"),
    "own": {**dict.fromkeys(OPS, "ok"), "unlink": "denied"},
    "other": {**CLINICAL["other"]},
    # The director only reads private notes their author shared.
    "director": {**CLINICAL["other"], "create": "ok"},
}
LOG = {
    "none": dict.fromkeys(OPS, "denied"),
    "own": dict.fromkeys(OPS, "denied"),
    "other": dict.fromkeys(OPS, "denied"),
    "director": {
        **dict.fromkeys(OPS, "denied"),
        "read": "ok",
        "search": "ok",
        "group": "ok",
        "export": "ok",
    },
}


@tagged("post_install", "-at_install")
class TestAccessMatrix(PsyClinicalCommon):
    """Each role x each clinical model x each operation, with real users."""

    def _users(self):
        return {
            "receptionist": (self.receptionist, "none"),
            "billing": (self.billing, "none"),
            "manager": (self.manager, "none"),
            "psychologist (assigned)": (self.psychologist, "own"),
            "psychologist (not assigned)": (self.psychologist_2, "other"),
            "director": (self.director, "director"),
        }

    def _models(self):
        def new_record():
            return {"patient_id": self._assigned_patient().id}

        def new_note():
            return {
                "record_id": self.record.id,
                "session_id": self._done_session().id,
                "template_id": self.soap.id,
                "plan": "x",
            }

        return {
            "psy.clinical.record": (
                self.record,
                {"symptoms": "changed"},
                new_record,
                CLINICAL,
            ),
            "psy.diagnosis": (
                self.diagnosis,
                {"note": "changed"},
                lambda: {
                    "record_id": self.record.id,
                    "code_id": self.code_depression.id,
                    "kind": "secondary",
                },
                CLINICAL,
            ),
            "psy.treatment.goal": (
                self.goal,
                {"progress": 40},
                lambda: {"record_id": self.record.id, "name": "New goal"},
                CLINICAL,
            ),
            "psy.session.note": (
                self.note_draft,
                {"plan": "changed"},
                new_note,
                CLINICAL,
            ),
            "psy.session.note.addendum": (
                self.addendum,
                {"content": "changed"},
                lambda: {
                    "note_id": self.note_signed.id,
                    "reason": "r",
                    "content": "c",
                },
                CLINICAL,
            ),
            "psy.private.note": (
                self.private_note,
                {"content": "changed"},
                lambda: {"record_id": self.record.id, "content": "mine"},
                PRIVATE,
            ),
            "psy.clinical.access.log": (
                self.log_line,
                {"action": "print"},
                lambda: {
                    "user_id": self.env.uid,
                    "action": "read",
                    "patient_id": self.patient.id,
                    "company_id": self.company_a.id,
                },
                LOG,
            ),
        }

    def _run(self, op, user, model, sample, write_vals, create_vals):
        Model = self.env[model].with_user(user)
        mine = sample.with_user(user)
        if op == "read":
            mine.read(["display_name"])
            return "ok"
        if op == "search":
            return "ok" if Model.search([("id", "=", sample.id)]) else "empty"
        if op == "group":
            groups = Model.read_group([("id", "=", sample.id)], ["__count"], [])
            return "ok" if groups and groups[0]["__count"] else "empty"
        if op == "write":
            mine.write(write_vals)
            return "ok"
        if op == "create":
            Model.create(create_vals())
            return "ok"
        if op == "unlink":
            mine.unlink()
            return "ok"
        if op == "export":
            mine.export_data(["display_name"])
            return "ok"
        if op == "report":
            if model != "psy.clinical.record":
                return None
            self.env["ir.actions.report"].with_user(user)._render_qweb_pdf(
                "psy_clinical_record.action_report_clinical_record", mine.ids
            )
            return "ok"
        raise AssertionError(op)

    def test_access_matrix(self):
        for model, (sample, write_vals, create_vals, matrix) in self._models().items():
            for label, (user, kind) in self._users().items():
                for op in OPS:
                    expected = matrix[kind][op]
                    with self.subTest(model=model, user=label, op=op):
                        with self.env.cr.savepoint() as savepoint:
                            try:
                                got = self._run(
                                    op, user, model, sample, write_vals, create_vals
                                )
                            except AccessError:
                                got = "denied"
                            except UserError as error:
                                got = f"user error: {error}"
                            savepoint.close(rollback=True)
                        if got is None:
                            continue
                        self.assertEqual(got, expected)

    def test_attachment_of_record_not_readable_by_front_desk(self):
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": "scan.txt",
                    "raw": b"clinical scan",
                    "res_model": "psy.clinical.record",
                    "res_id": self.record.id,
                }
            )
        )
        for user in (self.receptionist, self.billing, self.manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                attachment.with_user(user).read(["raw"])
        self.assertTrue(attachment.with_user(self.psychologist).read(["raw"]))

    def test_front_desk_has_no_clinical_menu(self):
        menu = self.env.ref("psy_clinical_record.menu_psy_clinical")
        for user, visible in (
            (self.receptionist, False),
            (self.billing, False),
            (self.psychologist, True),
            (self.director, True),
        ):
            menus = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            self.assertEqual(menu.id in menus, visible, user.login)
