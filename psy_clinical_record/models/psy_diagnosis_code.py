import logging
import warnings

from odoo import api, fields, models

_logger = logging.getLogger(__name__)

# Chapter 5 of ICD-10-CM: Mental, Behavioral and Neurodevelopmental
# disorders (F01-F99).
ICD10CM_CHAPTER = "5"


class PsyDiagnosisCode(models.Model):
    """ICD-10-CM nomenclature (chapter F), public domain, published by the
    CDC's National Center for Health Statistics; loaded from the
    ``simple-icd-10-cm`` package at install."""

    _name = "psy.diagnosis.code"
    _description = "Diagnosis code (ICD-10-CM)"
    _order = "code"
    _rec_names_search = ["code", "name"]

    code = fields.Char(required=True, index=True)
    name = fields.Char(string="Description", required=True)
    kind = fields.Selection(
        selection=[
            ("block", "Block"),
            ("category", "Category"),
            ("subcategory", "Subcategory"),
        ],
        required=True,
    )
    parent_id = fields.Many2one(comodel_name="psy.diagnosis.code", index=True)
    selectable = fields.Boolean(
        help="Most specific code (no subdivisions): the one to record.",
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_unique", "UNIQUE(code)", "Each ICD-10-CM code exists once."),
    ]

    @api.depends("code", "name")
    def _compute_display_name(self):
        for code in self:
            code.display_name = f"{code.code} {code.name}"

    @api.model
    def _load_icd10cm_chapter_f(self):
        """Create or update the chapter F codes from ``simple_icd_10_cm``
        (called at install and update by a ``<function>`` of the data)."""
        with warnings.catch_warnings():
            # The package reads its data with a deprecated importlib API.
            warnings.simplefilter("ignore", DeprecationWarning)
            return self._load_icd10cm_items()

    @api.model
    def _load_icd10cm_items(self):
        import simple_icd_10_cm as cm

        def label(item):
            # A code that is both a block and a category (F99) is a category.
            return (
                item
                if cm.is_block(item) and not cm.is_category(item)
                else cm.add_dot(item)
            )

        items = list(dict.fromkeys(cm.get_descendants(ICD10CM_CHAPTER)))
        existing = {c.code: c for c in self.with_context(active_test=False).search([])}
        to_create = []
        rows = []
        for item in items:
            code = label(item)
            if cm.is_category(item):
                kind = "category"
            elif cm.is_block(item):
                kind = "block"
            else:
                kind = "subcategory"
            parent = cm.get_parent(item)
            parent_code = None if parent == ICD10CM_CHAPTER else label(parent)
            if parent_code == code:
                parent_code = None
            rows.append((code, parent_code))
            vals = {
                "code": code,
                "name": cm.get_description(item),
                "kind": kind,
                "selectable": cm.is_leaf(item) and kind != "block",
                "active": True,
            }
            record = existing.get(code)
            if record:
                if any(record[key] != value for key, value in vals.items()):
                    record.write(vals)
            else:
                to_create.append(vals)
        created = self.create(to_create)
        existing.update({c.code: c for c in created})
        for code, parent_code in rows:
            parent = existing.get(parent_code) if parent_code else self.browse()
            if existing[code].parent_id != parent:
                existing[code].parent_id = parent
        _logger.info("ICD-10-CM chapter F: %s codes, %s new", len(rows), len(to_create))
        return True
