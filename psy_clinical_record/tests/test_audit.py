import logging
import time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.psy_clinical_record.models.psy_clinical_audit_mixin import (
    NESTED_READ,
)

from .common import PsyClinicalCommon

_logger = logging.getLogger(__name__)

# What the clinical record form asks for when it opens (a subset of the
# real specification, with its three lists).
FORM_SPEC = {
    "display_name": {},
    "patient_id": {"fields": {"display_name": {}}},
    "professional_id": {"fields": {"display_name": {}}},
    "reason": {},
    "symptoms": {},
    "risk_level": {},
    "risk_notes": {},
    "retention_until": {},
    "note_count": {},
    "diagnosis_ids": {
        "fields": {"code_id": {"fields": {"display_name": {}}}, "status": {}}
    },
    "goal_ids": {"fields": {"name": {}, "progress": {}}},
    "note_ids": {"fields": {"session_date": {}, "state": {}}},
}


@tagged("post_install", "-at_install")
class TestAudit(PsyClinicalCommon):
    def test_form_open_logs_one_line(self):
        record = self.record.with_user(self.psychologist)
        record.invalidate_recordset()
        before = self._logs(clinical_record_id=self.record.id)
        record.web_read(FORM_SPEC)
        new = self._logs(clinical_record_id=self.record.id) - before
        self.assertEqual(len(new), 1)
        self.assertEqual(new.user_id, self.psychologist)
        self.assertEqual(new.action, "read")
        self.assertEqual(new.patient_id, self.patient)
        self.assertEqual(new.res_model, "psy.clinical.record")

    def test_note_open_logs_a_line(self):
        self.note_signed.with_user(self.director).web_read({"plan": {}})
        line = self._logs(res_model="psy.session.note", user_id=self.director.id)
        self.assertEqual(len(line), 1)
        self.assertEqual(line.res_id, self.note_signed.id)
        self.assertEqual(line.clinical_record_id, self.record)

    def test_report_and_export_are_logged(self):
        self.env["ir.actions.report"].with_user(self.director)._render_qweb_pdf(
            "psy_clinical_record.action_report_clinical_record", self.record.ids
        )
        self.assertEqual(len(self._logs(action="print", user_id=self.director.id)), 1)
        self.note_signed.with_user(self.psychologist).export_data(["plan"])
        line = self._logs(action="export", user_id=self.psychologist.id)
        self.assertEqual(line.res_id, self.note_signed.id)

    def test_external_api_reads_are_logged(self):
        # What an integration calls over XML-RPC / JSON-RPC.
        self.record.with_user(self.director).read(["reason"])
        line = self._logs(action="read", user_id=self.director.id)
        self.assertEqual(len(line), 1)
        self.assertEqual(line.res_model, "psy.clinical.record")
        self.assertEqual(line.res_id, self.record.id)
        rows = (
            self.env["psy.session.note"]
            .with_user(self.director)
            .search_read([("id", "=", self.note_signed.id)], ["plan"])
        )
        self.assertEqual([row["id"] for row in rows], self.note_signed.ids)
        line = self._logs(res_model="psy.session.note", user_id=self.director.id)
        self.assertEqual(len(line), 1)
        self.assertEqual(line.res_id, self.note_signed.id)
        self.assertEqual(line.clinical_record_id, self.record)
        # Reading nothing logs nothing.
        self.env["psy.session.note"].with_user(self.director).search_read(
            [("id", "=", 0)], ["plan"]
        )
        self.assertEqual(len(self._logs(user_id=self.director.id)), 2)

    def test_refused_read_is_not_logged_as_read(self):
        with self.assertRaises(AccessError):
            self.record.with_user(self.psychologist_2).web_read({"reason": {}})
        self.assertFalse(self._logs(user_id=self.psychologist_2.id))

    def test_log_is_append_only(self):
        line = self.log_line.with_user(self.director)
        self.assertTrue(line.read(["action"]))
        with self.assertRaises(AccessError):
            line.write({"action": "print"})
        with self.assertRaises(AccessError):
            line.unlink()
        with self.assertRaises(UserError):
            self.log_line.sudo().write({"action": "print"})
        with self.assertRaises(UserError):
            self.log_line.sudo().unlink()
        self.assertEqual(self.log_line.action, "read")

    def test_director_sees_log_per_patient_and_exports_it(self):
        self.record.with_user(self.psychologist).web_read({"reason": {}})
        patient = self.patient.with_user(self.director)
        self.assertEqual(patient.psy_access_log_count, 2)
        action = patient.action_view_clinical_access_log()
        lines = (
            self.env["psy.clinical.access.log"]
            .with_user(self.director)
            .search(action["domain"])
        )
        self.assertEqual(len(lines), 2)
        rows = lines.export_data(["user_id", "action", "date"])["datas"]
        self.assertIn(self.psychologist.name, [row[0] for row in rows])

    def test_audit_cost_on_form_open(self):
        """Measures what the audit adds to opening a record form: queries
        and wall time, with and without it. "Without" is the read the audit
        wraps: the same call marked, in Python, as a nested read (a marker
        no client can send, see the next test)."""
        record = self.record.with_user(self.psychologist)
        quiet = record.with_context(psy_audit_nested=NESTED_READ)

        def queries(target):
            target.invalidate_recordset()
            target.env.invalidate_all()
            start = self.cr.sql_log_count
            target.web_read(FORM_SPEC)
            target.env.flush_all()
            return self.cr.sql_log_count - start

        def wall(target, rounds=30):
            started = time.perf_counter()
            for _i in range(rounds):
                target.env.invalidate_all()
                target.web_read(FORM_SPEC)
                target.env.flush_all()
            return (time.perf_counter() - started) / rounds * 1000

        queries(record)  # warm the caches (rules, views)
        with_audit = queries(record)
        without_audit = queries(quiet)
        ms_with = wall(record)
        ms_without = wall(quiet)
        _logger.info(
            "Audit cost on opening a record form: %s queries with, %s without "
            "(+%s); %.2f ms with, %.2f ms without (+%.2f ms)",
            with_audit,
            without_audit,
            with_audit - without_audit,
            ms_with,
            ms_without,
            ms_with - ms_without,
        )
        # One INSERT: the read itself proved the access.
        self.assertEqual(with_audit - without_audit, 1)
        self.assertGreater(with_audit, without_audit)

    def test_no_client_value_skips_the_audit(self):
        """What a client can put in its context (JSON values) never turns the
        audit off: the old ``psy_audit_skip`` switch is gone, and the nested
        marker is compared by identity with a Python object."""
        record = self.record.with_user(self.psychologist)
        forged = (
            {"psy_audit_skip": True},
            {"psy_audit_skip": 1, "psy_audit_nested": True},
            {"psy_audit_nested": "<object object at 0x7f0000000000>"},
            {"psy_audit_nested": {}},
            {"psy_audit_nested": [1]},
        )
        for context in forged:
            with self.subTest(context=context):
                before = self._logs(user_id=self.psychologist.id)
                record.with_context(**context).web_read({"reason": {}})
                record.with_context(**context).read(["reason"])
                self.env["psy.clinical.record"].with_user(
                    self.psychologist
                ).with_context(**context).search_read(
                    [("id", "=", self.record.id)], ["reason"]
                )
                new = self._logs(user_id=self.psychologist.id) - before
                self.assertEqual(len(new), 3)
                self.assertEqual(new.clinical_record_id, self.record)

    def test_new_record_is_not_logged(self):
        """A form being filled in (the onchange of a new record) is no access
        to a record: nothing is logged, no line with id 0."""
        patient = self._assigned_patient()
        Record = self.env["psy.clinical.record"].with_user(self.psychologist)
        Record.onchange(
            {"patient_id": patient.id}, ["patient_id"], {"patient_id": {}, "reason": {}}
        )
        Record.new({"patient_id": patient.id}).web_read({"reason": {}})
        self.assertFalse(self._logs(user_id=self.psychologist.id))
        self.assertFalse(self._logs(res_id=0))
