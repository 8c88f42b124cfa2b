from odoo import api, models

# Marks the reads made while a clinical document is being read (the lines of
# its lists): they belong to the same access and are not logged again.
#
# The marker is compared by identity (``is``) with this module-level object.
# A client only sends JSON (or XML-RPC) values in its context: strings,
# numbers, lists, dicts, which are always new objects after decoding and never
# this one, so no client can claim that its read is nested and skip the audit.
NESTED_READ = object()

# Fields any read may fetch without it being an access to clinical content:
# identifiers and the technical dates and authors of a row.
AUDIT_FREE_FIELDS = frozenset(
    {"id", "display_name", "create_date", "create_uid", "write_date", "write_uid"}
)

# What the lists and kanbans of a clinical model show without any clinical
# content (who, when, status); models add their own.
AUDIT_LIST_FIELDS = (
    "patient_id",
    "patient_ids",
    "professional_id",
    "record_id",
    "company_id",
    "state",
    "date",
    "session_id",
    "session_date",
    "session_kind",
    "signed_date",
    "template_id",
    "author_id",
    "sequence",
    "active",
    "color",
)


class PsyClinicalAuditMixin(models.AbstractModel):
    """Clinical content whose reading is logged in the access audit.

    One hook per way of reading: ``web_read`` (what a form, a dialog or a
    list calls to show records), ``read`` and ``search_read`` (the external
    API), ``export_data`` (export) and the clinical record report (see the
    report model). Models set ``_psy_record_field`` to the
    field that holds their clinical record (``id`` for the record itself).

    Only real reads are logged, one line per record: a record opened in a
    form, exported, printed, or read with its clinical content over the
    API. A list (``web_search_read``) or a search that reads only what a
    list shows (:attr:`_psy_audit_list_fields`: who, when, status) writes
    no line; a list that asks for clinical content logs each row.

    No value a client can send switches the audit off."""

    _name = "psy.clinical.audit.mixin"
    _description = "Clinical content with access audit"

    _psy_record_field = "record_id"
    # What the lists and kanbans of the model show without any clinical
    # content (who, when, status): reading only these, as a list does, is no
    # access to log. A read of any other field is (a form, an export, an
    # RPC script reading the texts).
    _psy_audit_list_fields = AUDIT_LIST_FIELDS

    def _psy_clinical_records(self):
        if self._psy_record_field == "id":
            return self
        return self.mapped(self._psy_record_field)

    def _psy_audit_patients(self):
        """{document id: patients} the reading of each document concerns,
        when that is more than the patient of its clinical record (the
        participants of a shared note). Empty by default."""
        return {}

    def _psy_log_access(self, action, access_checked=False):
        # Only documents that exist are logged: a form being filled in (the
        # new record of an onchange) is no access to clinical content.
        documents = self.browse([id_ for id_ in self._ids if isinstance(id_, int)])
        if documents:
            self.env["psy.clinical.access.log"]._write_entries(
                documents, action, access_checked=access_checked
            )

    def _psy_is_nested_read(self):
        return self.env.context.get("psy_audit_nested") is NESTED_READ

    @api.model
    def _psy_reads_content(self, field_names):
        """Whether reading ``field_names`` (all fields when empty) reads
        clinical content, and so is logged: any field beyond what a list
        shows (:attr:`_psy_audit_list_fields`) and the activities."""
        if not field_names:
            return True
        listed = AUDIT_FREE_FIELDS | set(self._psy_audit_list_fields)
        return any(
            name not in listed and not name.startswith("activity_")
            for name in field_names
        )

    def web_read(self, specification):
        if self._psy_is_nested_read():
            return super().web_read(specification)
        nested = self.with_context(psy_audit_nested=NESTED_READ)
        result = super(PsyClinicalAuditMixin, nested).web_read(specification)
        # The read above succeeded as the user: access is checked. A form (or
        # a dialog) that opens a record logs one line; the rows of a list,
        # which show no clinical content, log none.
        if self._psy_reads_content(list(specification)):
            self._psy_log_access("read", access_checked=True)
        return result

    def web_save(self, vals, specification, next_id=None):
        # Saving a form reads it back: the opening was logged, the values
        # shown again are those the user just wrote. ``next_id`` (the next
        # record of the pager) is an opening, read by ``web_read``.
        if self._psy_is_nested_read() or next_id:
            return super().web_save(vals, specification, next_id=next_id)
        nested = self.with_context(psy_audit_nested=NESTED_READ)
        return super(PsyClinicalAuditMixin, nested).web_save(vals, specification)

    def read(self, fields=None, load="_classic_read"):
        if self._psy_is_nested_read():
            return super().read(fields=fields, load=load)
        nested = self.with_context(psy_audit_nested=NESTED_READ)
        result = super(PsyClinicalAuditMixin, nested).read(fields=fields, load=load)
        if self._psy_reads_content(fields):
            self._psy_log_access("read", access_checked=True)
        return result

    @api.model
    def search_read(
        self, domain=None, fields=None, offset=0, limit=None, order=None, **read_kwargs
    ):
        if self._psy_is_nested_read():
            return super().search_read(
                domain, fields, offset=offset, limit=limit, order=order, **read_kwargs
            )
        nested = self.with_context(psy_audit_nested=NESTED_READ)
        result = super(PsyClinicalAuditMixin, nested).search_read(
            domain, fields, offset=offset, limit=limit, order=order, **read_kwargs
        )
        if self._psy_reads_content(fields):
            self.browse([values["id"] for values in result])._psy_log_access(
                "read", access_checked=True
            )
        return result

    def export_data(self, fields_to_export):
        result = super().export_data(fields_to_export)
        self._psy_log_access("export", access_checked=True)
        return result
