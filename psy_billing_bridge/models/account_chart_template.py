from odoo import models


class AccountChartTemplate(models.AbstractModel):
    _inherit = "account.chart.template"

    def _psy_billing_chart_defaults(self, template_code, company):
        """Extension point of the localization modules: the values of the
        billing fields of ``company`` that the chart ``template_code`` gives,
        as ``{field name: value}`` (records for many2one fields). Only the
        fields the center left empty are filled. The bridge itself knows no
        chart and gives none."""
        return {}

    def _post_load_data(self, template_code, company, template_data):
        res = super()._post_load_data(template_code, company, template_data)
        company._psy_set_chart_defaults(template_code)
        return res
