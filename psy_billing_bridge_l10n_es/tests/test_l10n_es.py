from unittest import SkipTest

from odoo import Command
from odoo.tests import TransactionCase, tagged

from odoo.addons.psy_billing_bridge_l10n_es import _psy_billing_l10n_es_post_init

# What a Spanish chart gives each billing field: the xmlid of the record,
# without its "account.<company id>_" prefix.
SPANISH_DEFAULTS = {
    "psy_exempt_tax_id": "account_tax_template_s_iva0_nsd",  # IVA Exento Art.20
    "psy_deferred_account_id": "account_common_485",  # Ingresos anticipados
    "psy_advance_account_id": "account_common_438",  # Anticipos de clientes
}


@tagged("post_install", "-at_install")
class TestSpanishChartDefaults(TransactionCase):
    """Loading a Spanish chart of accounts (l10n_es) fills the billing fields
    the center left empty: the art. 20 VAT-exempt sales tax with its legal
    note, 485 for deferred revenue and 438 for customer advances."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        module = cls.env["ir.module.module"]._get("psy_billing_bridge_l10n_es")
        if module.state != "installed":
            # pytest-odoo collects every module's tests, installed or not.
            raise SkipTest(
                "psy_billing_bridge_l10n_es (with l10n_es) is not installed."
            )
        cls.company = cls._spanish_company("Centro de Psicología Sol", "es_pymes")
        cls.patient = cls.env["res.partner"].create({"name": "Lucía Romero"})

    @classmethod
    def _spanish_company(cls, name, chart):
        company = cls.env["res.company"].create(
            {"name": name, "country_id": cls.env.ref("base.es").id}
        )
        cls.env["account.chart.template"].try_loading(
            chart, company=company, install_demo=False
        )
        return company

    def _chart_record(self, company, xmlid):
        return self.env.ref(f"account.{company.id}_{xmlid}")

    def assertSpanishDefaults(self, company, fields=tuple(SPANISH_DEFAULTS)):
        for field_name in fields:
            expected = self._chart_record(company, SPANISH_DEFAULTS[field_name])
            self.assertEqual(company[field_name], expected, field_name)

    def _invoice(self, tax):
        line = {
            "name": "Individual therapy",
            "price_unit": 60.0,
            "tax_ids": [Command.set(tax.ids)],
        }
        return (
            self.env["account.move"]
            .with_company(self.company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.patient.id,
                    "invoice_line_ids": [Command.create(line)],
                }
            )
        )

    def test_spanish_chart_fills_the_defaults(self):
        company = self.company
        self.assertSpanishDefaults(company)
        self.assertIn("20.One.3", company.psy_exempt_note)
        self.assertIn("Law 37/1992", company.psy_exempt_note)
        self.assertEqual(company.psy_exempt_tax_id.amount, 0.0)
        self.assertEqual(
            company.psy_deferred_account_id.with_company(company).code, "485000"
        )
        self.assertEqual(
            company.psy_deferred_account_id.account_type, "liability_current"
        )
        self.assertTrue(company.psy_advance_account_id.reconcile)

    def test_center_choices_kept_when_the_chart_is_loaded_again(self):
        company = self.company
        deferred = (
            self.env["account.account"]
            .with_company(company)
            .create(
                {
                    "name": "Deferred revenue - session packs",
                    "code": "485100",
                    "account_type": "liability_current",
                }
            )
        )
        exempt = company.psy_exempt_tax_id.copy({"name": "Exento sanitario"})
        company.write(
            {
                "psy_exempt_tax_id": exempt.id,
                "psy_exempt_note": "Exento de IVA (art. 20.Uno.3º LIVA).",
                "psy_deferred_account_id": deferred.id,
                "psy_advance_account_id": False,
            }
        )
        self.env["account.chart.template"].try_loading(
            "es_pymes", company=company, install_demo=False
        )
        self.assertEqual(company.psy_exempt_tax_id, exempt)
        self.assertEqual(company.psy_deferred_account_id, deferred)
        self.assertEqual(
            company.psy_exempt_note, "Exento de IVA (art. 20.Uno.3º LIVA)."
        )
        # Only the empty field is filled in.
        self.assertSpanishDefaults(company, ["psy_advance_account_id"])

    def test_installation_fills_companies_with_a_chart_already(self):
        self.company.write(dict.fromkeys([*SPANISH_DEFAULTS, "psy_exempt_note"], False))
        _psy_billing_l10n_es_post_init(self.env)
        self.assertSpanishDefaults(self.company)
        self.assertIn("20.One.3", self.company.psy_exempt_note)

    def test_other_charts_get_no_spanish_defaults(self):
        company = self.env["res.company"].create(
            {"name": "Psychology Center Sun", "country_id": self.env.ref("base.us").id}
        )
        self.env["account.chart.template"].try_loading(
            "generic_coa", company=company, install_demo=False
        )
        _psy_billing_l10n_es_post_init(self.env)
        for field_name in [*SPANISH_DEFAULTS, "psy_exempt_note"]:
            self.assertFalse(company[field_name], field_name)

    def test_note_in_the_language_of_the_center(self):
        self.env["res.lang"]._activate_lang("es_ES")
        company = self.env["res.company"].create(
            {
                "name": "Centro de Psicología Luna",
                "country_id": self.env.ref("base.es").id,
            }
        )
        company.partner_id.lang = "es_ES"
        self.env["account.chart.template"].try_loading(
            "es_pymes", company=company, install_demo=False
        )
        self.assertIn("20.Uno.3", company.psy_exempt_note)

    def test_canary_islands_chart_has_no_vat_exemption(self):
        company = self._spanish_company("Centro de Psicología Teide", "es_canary_pymes")
        self.assertFalse(company.psy_exempt_tax_id)
        # No VAT note either: the center writes the one of its IGIC exemption.
        self.assertFalse(company.psy_exempt_note)
        self.assertSpanishDefaults(
            company, ["psy_deferred_account_id", "psy_advance_account_id"]
        )

    def test_branch_uses_the_records_of_its_root_company(self):
        branch = self.env["res.company"].create(
            {"name": "Centro de Psicología Sol - Norte", "parent_id": self.company.id}
        )
        # A branch gets its chart when the transaction is committed.
        self.env.cr.precommit.run()
        for field_name in [*SPANISH_DEFAULTS, "psy_exempt_note"]:
            self.assertEqual(branch[field_name], self.company[field_name], field_name)

    def test_exempt_note_only_on_invoices_using_the_exempt_tax(self):
        exempt = self._invoice(self.company.psy_exempt_tax_id)
        self.assertEqual(exempt.psy_exempt_note, self.company.psy_exempt_note)
        self.assertIn("20.One.3", exempt.psy_exempt_note)
        self.assertAlmostEqual(exempt.amount_total, 60.0)

        vat_21 = self._chart_record(self.company, "account_tax_template_s_iva21s")
        taxed = self._invoice(vat_21)
        self.assertFalse(taxed.psy_exempt_note)
        self.assertAlmostEqual(taxed.amount_total, 72.6)
