from odoo import api, fields, models


class PsyPatient(models.Model):
    _inherit = "psy.patient"

    psy_insurer_id = fields.Many2one(
        comodel_name="res.partner",
        string="Insurer",
        tracking=True,
        help="Insurance company that pays part of the sessions. Its share is "
        "invoiced to it, the rest to the patient.",
    )
    psy_insurance_number = fields.Char(
        string="Policy number",
        help="Patient's policy or card number, printed on the insurer's invoices.",
    )
    psy_invoice_count = fields.Integer(
        string="Invoices",
        compute="_compute_psy_invoice_count",
    )

    @api.depends("partner_id")
    def _compute_psy_invoice_count(self):
        counts = dict(
            self.env["account.move"]._read_group(
                [("psy_patient_id", "in", self.ids)],
                ["psy_patient_id"],
                ["__count"],
            )
        )
        for patient in self:
            patient.psy_invoice_count = counts.get(patient, 0)

    def action_psy_open_billing(self):
        """Everything invoiced for the patient, with its payment state."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "psy_billing_bridge.psy_move_action_patient"
        )
        action["domain"] = [("psy_patient_id", "=", self.id)]
        action["context"] = {"default_psy_patient_id": self.id}
        return action
