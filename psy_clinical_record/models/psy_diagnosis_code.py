import logging
import re
import warnings

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# Chapter 5 of ICD-10-CM: Mental, Behavioral and Neurodevelopmental
# disorders (F01-F99).
ICD10CM_CHAPTER = "5"
# A code typed without its dot ("F411" for F41.1).
CODE_WITHOUT_DOT = re.compile(r"^([A-Za-z]\d{2})(\w+)$")


def like_escape(term):
    """``term`` as a literal inside a LIKE pattern."""
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def xmlid_name(code):
    """Name of the XML id of a code ("F41.1" -> "icd10cm_F41_1"), which
    carries its translations in the module's ``.po`` files."""
    return "icd10cm_" + re.sub(r"\W", "_", code)


class PsyDiagnosisCode(models.Model):
    """ICD-10-CM nomenclature (chapter F), public domain, published by the
    CDC's National Center for Health Statistics; loaded from the
    ``simple-icd-10-cm`` package at install."""

    _name = "psy.diagnosis.code"
    _description = "Diagnosis code (ICD-10-CM)"
    _order = "code"
    _rec_names_search = ["code", "name"]

    code = fields.Char(required=True, index=True)
    name = fields.Char(string="Description", required=True, translate=True)
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

    # ------------------------------------------------------------------
    # Search by relevance
    # ------------------------------------------------------------------

    @api.model
    def _search_display_name(self, operator, value):
        """A code or description containing every word typed, in any order
        (and a code typed without its dot)."""
        if operator != "ilike" or not isinstance(value, str) or not value.strip():
            return super()._search_display_name(operator, value)
        words = value.split()
        domain = expression.AND(
            [["|", ("code", "ilike", word), ("name", "ilike", word)] for word in words]
        )
        match = CODE_WITHOUT_DOT.match(value.strip())
        if match:
            code = f"{match.group(1)}.{match.group(2)}"
            domain = expression.OR([domain, [("code", "=ilike", f"{code}%")]])
        return domain

    @api.model
    def name_search(self, name="", args=None, operator="ilike", limit=100):
        """The codes that match, the most relevant first: the exact code,
        then the codes starting with what was typed, then the descriptions
        (in the reader's language): the codes of the categories whose title
        matches (the closest title first), the codes to record before their
        groups, starting with the words typed, then
        containing them as words, the shortest first. One query, with the
        access rules and the active flag of a search."""
        term = (name or "").strip()
        if operator != "ilike" or not term:
            return super().name_search(name, args, operator, limit)
        domain = expression.AND([[("display_name", operator, term)], args or []])
        query = self._search(domain, limit=limit)
        query.order = self._psy_relevance_order(query, term)
        ids = [row[0] for row in self.env.execute_query(query.select())]
        records = self.browse(ids)
        return [(record.id, record.display_name) for record in records.sudo()]

    @api.model
    def _psy_relevance_order(self, query, term):
        """ORDER BY of ``query`` ranking the codes by relevance to ``term``."""
        unaccent = self.env.registry.unaccent
        alias = query.table
        code = SQL.identifier(alias, "code")
        title = self._field_to_sql(alias, "name", query)
        lang = self.env.lang or "en_US"
        category_title = SQL(
            "COALESCE(category.name->>%s, category.name->>'en_US')", lang
        )
        literal = like_escape(term)
        nodot = CODE_WITHOUT_DOT.match(term)
        code_term = (
            like_escape(f"{nodot.group(1)}.{nodot.group(2)}") if nodot else literal
        )
        # A word starting with the term (\m: start of a word in PostgreSQL).
        word = "\\m" + re.escape(term)
        return SQL(
            """
            CASE WHEN %(code)s ILIKE %(code_exact)s THEN 0
                 WHEN %(code)s ILIKE %(code_prefix)s THEN 1
                 ELSE 2 END,
            (
                SELECT LENGTH(%(category_title)s) FROM psy_diagnosis_code category
                 WHERE category.code = LEFT(%(code)s, 3)
                   AND %(category_title)s ILIKE %(contains)s
            ) NULLS LAST,
            %(selectable)s DESC NULLS LAST,
            CASE WHEN %(title)s ILIKE %(starts)s THEN 0
                 WHEN %(title)s ~* %(word)s THEN 1
                 ELSE 2 END,
            LENGTH(%(title)s),
            %(code)s
            """,
            code=code,
            code_exact=code_term,
            code_prefix=f"{code_term}%",
            category_title=unaccent(category_title),
            contains=unaccent(SQL("%s", f"%{literal}%")),
            title=unaccent(title),
            starts=unaccent(SQL("%s", f"{literal}%")),
            word=unaccent(SQL("%s", word)),
            selectable=SQL.identifier(alias, "selectable"),
        )

    # ------------------------------------------------------------------
    # Nomenclature
    # ------------------------------------------------------------------

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
        # XML ids, by which the translations of the descriptions (i18n/*.po)
        # are loaded with the module and with each language installed.
        self.env["ir.model.data"]._update_xmlids(
            [
                {
                    "xml_id": f"psy_clinical_record.{xmlid_name(code)}",
                    "record": existing[code],
                    "noupdate": True,
                }
                for code, _parent in rows
            ]
        )
        _logger.info("ICD-10-CM chapter F: %s codes, %s new", len(rows), len(to_create))
        return True
