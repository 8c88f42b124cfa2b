from odoo import models

# Records of the Spanish charts (l10n_es) that the billing fields default to:
# {company field: xmlid of the chart's record, without its
# "account.<company id>_" prefix}. A chart without one of them leaves its
# field empty, as the Canary Islands charts do for the exempt tax (they have
# IGIC, not VAT).
SPANISH_CHART_RECORDS = {
    # "IVA Exento Art.20": health care by health professionals is exempt
    # under art. 20.Uno.3º of Ley 37/1992.
    "psy_exempt_tax_id": "account_tax_template_s_iva0_nsd",
    # 485 "Ingresos anticipados" (deferred income)
    "psy_deferred_account_id": "account_common_485",
    # 438 "Anticipos de clientes" (customer advances)
    "psy_advance_account_id": "account_common_438",
}


class AccountChartTemplate(models.AbstractModel):
    _inherit = "account.chart.template"

    def _psy_billing_chart_defaults(self, template_code, company):
        defaults = super()._psy_billing_chart_defaults(template_code, company)
        if not template_code.startswith("es_"):
            return defaults
        for field_name, xmlid in SPANISH_CHART_RECORDS.items():
            record = self.with_company(company).ref(xmlid, raise_if_not_found=False)
            if record:
                defaults[field_name] = record
        if defaults.get("psy_exempt_tax_id"):
            defaults["psy_exempt_note"] = self._psy_exempt_note_es(company)
        return defaults

    def _psy_exempt_note_es(self, company):
        """The legal basis of the exemption, in the language of the center."""
        lang = company.partner_id.lang or self.env.lang
        return self.with_context(lang=lang).env._(
            "Exempt from VAT under article 20.One.3 of Law 37/1992 "
            "(health care provided by health professionals)."
        )
