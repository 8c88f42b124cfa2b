# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Psychology Billing Bridge",
    "summary": "Sessions and packs in Odoo Invoicing: per-session and monthly "
    "invoices, cancellation fees, insurer split, health-care VAT exemption "
    "and accountant reports",
    "version": "18.0.1.0.0",
    "category": "Services/Psychology",
    "website": "https://github.com/psy-center/psy-addons",
    "author": "Psychology Center Add-ons",
    "license": "LGPL-3",
    "development_status": "Beta",
    "depends": ["psy_session", "psy_voucher", "account"],
    "data": [
        "security/psy_billing_security.xml",
        "security/ir.model.access.csv",
        "security/psy_billing_rules.xml",
        "data/psy_billing_cron.xml",
        "views/psy_insurer_coverage_views.xml",
        "views/psy_patient_views.xml",
        "wizards/psy_session_invoice_wizard_views.xml",
        "views/psy_session_views.xml",
        "views/psy_voucher_views.xml",
        "views/product_template_views.xml",
        "wizards/psy_voucher_liability_wizard_views.xml",
        "views/account_move_views.xml",
        "views/res_config_settings_views.xml",
        "views/psy_billing_menus.xml",
        "report/report_invoice.xml",
    ],
    "demo": ["demo/psy_billing_users_demo.xml", "demo/psy_billing_demo.xml"],
    "installable": True,
}
