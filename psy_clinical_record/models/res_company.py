from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    psy_clinical_mandatory_field_ids = fields.Many2many(
        comodel_name="ir.model.fields",
        relation="res_company_psy_clinical_mandatory_field_rel",
        string="Mandatory record sections",
        domain=lambda self: self._psy_section_domain(),
        help="Sections of the clinical record that must be filled before the "
        "first session note can be signed.",
    )
    psy_unsigned_note_days = fields.Integer(
        string="Sign notes within",
        default=3,
        help="Days after the session after which an unsigned note is flagged "
        "to its professional.",
    )
    psy_retention_years = fields.Integer(
        string="Clinical record retention",
        default=5,
        help="Years the clinical records are kept after the end of care.",
    )
    psy_invoice_requires_signed_note = fields.Boolean(
        string="Signed note before invoicing",
        help="A done session is invoiced only once its note is signed: "
        "invoicing it before is refused, and the invoicing batches leave it "
        "out and say so.",
    )

    _sql_constraints = [
        (
            "psy_unsigned_note_days_positive",
            "CHECK(psy_unsigned_note_days >= 0)",
            "The delay to sign notes cannot be negative.",
        ),
        (
            "psy_retention_years_positive",
            "CHECK(psy_retention_years >= 0)",
            "The retention period cannot be negative.",
        ),
    ]

    def _psy_section_domain(self):
        from .psy_clinical_record import SECTION_FIELDS

        return [("model", "=", "psy.clinical.record"), ("name", "in", SECTION_FIELDS)]
