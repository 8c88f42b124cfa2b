from odoo import api, fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    psy_is_professional = fields.Boolean(
        string="Psychology professional",
        compute="_compute_psy_is_professional",
        search="_search_psy_is_professional",
        help="The user belongs to the Psychologist group.",
    )
    psy_registration_number = fields.Char(
        string="Registration number",
        help="Licence or registration number at the professional association, "
        "printed on invoices, notes and reports (e.g. M-12345).",
    )
    psy_specialty_id = fields.Many2one(
        comodel_name="psy.specialty",
        string="Specialty",
    )
    psy_signature_block = fields.Text(
        string="Professional signature",
        help="Lines printed under documents signed by this professional, "
        "e.g. name, title and registration number.",
    )

    @api.depends("groups_id")
    def _compute_psy_is_professional(self):
        group = self.env.ref("psy_patient.group_psy_psychologist")
        for user in self:
            user.psy_is_professional = group in user.groups_id

    @api.model
    def _psy_psychologist_domain(self, companies=None):
        """Users with the Psychologist role, working at one of ``companies``
        (records or ids) when given: the professionals a session, a pack or a
        patient file may name."""
        group = self.env.ref("psy_patient.group_psy_psychologist")
        domain = [("groups_id", "in", group.ids)]
        if companies:
            domain += self._check_company_domain(companies)
        return domain

    @api.model
    def _psy_psychologist_field_domain(self, company_field="company_id"):
        """The same, as the ``domain`` of a field on a form whose center is
        ``company_field``: the form offers the psychologists of that center
        (of the user's centers while it has none)."""
        group = self.env.ref("psy_patient.group_psy_psychologist")
        return (
            f"[('groups_id', 'in', {group.ids}), ('company_ids', 'in', "
            f"{company_field} and [{company_field}] or allowed_company_ids)]"
        )

    def _search_psy_is_professional(self, operator, value):
        if operator not in ("=", "!="):
            return NotImplemented
        group = self.env.ref("psy_patient.group_psy_psychologist")
        positive = (operator == "=") == bool(value)
        return [("groups_id", "in" if positive else "not in", group.ids)]
