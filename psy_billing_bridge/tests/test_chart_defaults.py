from odoo.tests import TransactionCase, tagged

CHART_FIELDS = (
    "psy_exempt_tax_id",
    "psy_exempt_note",
    "psy_deferred_account_id",
    "psy_advance_account_id",
)


@tagged("post_install", "-at_install")
class TestChartDefaults(TransactionCase):
    """The bridge knows no country: a chart of accounts no localization module
    knows leaves the exempt tax, its note and the pack accounts empty, for the
    center to choose."""

    def test_unknown_chart_leaves_the_billing_fields_empty(self):
        company = self.env["res.company"].create({"name": "Psychology Center Sun"})
        self.assertFalse(company.psy_exempt_note)
        self.env["account.chart.template"].try_loading(
            "generic_coa", company=company, install_demo=False
        )
        self.assertTrue(company.chart_template)
        for field_name in CHART_FIELDS:
            self.assertFalse(company[field_name], field_name)
        self.assertEqual(
            self.env["account.chart.template"]._psy_billing_chart_defaults(
                "generic_coa", company
            ),
            {},
        )
