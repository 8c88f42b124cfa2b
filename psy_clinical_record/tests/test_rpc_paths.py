"""The same hostile paths as test_write_paths, sent as a browser or a script
sends them: JSON-RPC calls to /web/dataset/call_kw, with the context keys in
the request."""

import json

from odoo.tests import HttpCase, tagged

from .common import SIGNED_TEXT, PsyClinicalCommon

FORGED_CONTEXTS = [
    {"psy_audit_skip": True},
    {"psy_audit_nested": True},
    {"psy_audit_nested": "<object object at 0x7f0000000000>"},
    {"psy_audit_nested": {"__class__": "object"}},
    {
        "_force_unlink": True,
        "psy_now": "2020-01-01 00:00:00",
        "psy_today": "2020-01-01",
    },
]


@tagged("post_install", "-at_install")
class TestRpcPaths(PsyClinicalCommon, HttpCase):
    def _call(self, model, method, args, kwargs=None, context=None):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {
                "model": model,
                "method": method,
                "args": args,
                "kwargs": {**(kwargs or {}), "context": context or {}},
            },
        }
        response = self.url_open(
            "/web/dataset/call_kw",
            data=json.dumps(payload),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        return response.json()

    def _logs(self, **domain):
        return (
            self.env["psy.clinical.access.log"]
            .sudo()
            .search([(key, "=", value) for key, value in domain.items()])
        )

    def test_forged_context_does_not_skip_the_audit(self):
        self.authenticate(self.psychologist.login, self.psychologist.login)
        for context in FORGED_CONTEXTS:
            with self.subTest(context=context):
                before = len(self._logs(user_id=self.psychologist.id))
                calls = (
                    ("web_read", [self.record.ids], {"specification": {"reason": {}}}),
                    ("read", [self.record.ids, ["reason"]], {}),
                    ("search_read", [[("id", "=", self.record.id)], ["reason"]], {}),
                )
                for method, args, kwargs in calls:
                    result = self._call(
                        "psy.clinical.record", method, args, kwargs, context
                    )
                    self.assertNotIn("error", result, method)
                self.assertEqual(
                    len(self._logs(user_id=self.psychologist.id)), before + 3
                )

    def test_record_cannot_move_to_another_patient(self):
        self.authenticate(self.psychologist.login, self.psychologist.login)
        other = self._assigned_patient()
        for context in [{}, *FORGED_CONTEXTS]:
            with self.subTest(context=context):
                result = self._call(
                    "psy.clinical.record",
                    "write",
                    [self.record.ids, {"patient_id": other.id}],
                    context=context,
                )
                self.assertIn("error", result)
                self.assertIn(
                    "stays with this patient", result["error"]["data"]["message"]
                )
        self.record.invalidate_recordset()
        self.assertEqual(self.record.patient_id, self.patient)
        note = self.note_signed
        note.invalidate_recordset()
        self.assertEqual(note.patient_id, self.patient)
        self.assertEqual(note.plan, SIGNED_TEXT)
        self.assertTrue(note.hash_valid)

    def test_record_button_of_a_patient_not_treated(self):
        self.authenticate(self.psychologist_2.login, self.psychologist_2.login)
        records = self.env["psy.clinical.record"].sudo().search_count([])
        logs = len(self._logs())
        result = self._call(
            "psy.patient", "action_open_clinical_record", [self.patient.ids]
        )
        self.assertIn("error", result)
        error = result["error"]["data"]
        self.assertEqual(error["name"], "odoo.exceptions.AccessError")
        self.assertIn("You cannot open the clinical record", error["message"])
        self.assertIn(self.psychologist.name, error["message"])
        # What the web client sent when the empty form was saved.
        result = self._call(
            "psy.clinical.record",
            "web_save",
            [[], {"patient_id": self.patient.id}],
            {"specification": {"reason": {}}},
        )
        self.assertEqual(result["error"]["data"]["name"], "odoo.exceptions.AccessError")
        self.assertNotIn("IntegrityError", json.dumps(result))
        self.assertEqual(
            self.env["psy.clinical.record"].sudo().search_count([]), records
        )
        self.assertEqual(len(self._logs()), logs)
        self.assertFalse(self._logs(res_id=0))
