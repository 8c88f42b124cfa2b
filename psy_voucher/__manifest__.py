# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Psychology Session Packs",
    "summary": "Session vouchers (bonos): packs with expiry, consumption on "
    "completion, cancellation policy, transfers, refunds and an append-only "
    "ledger",
    "version": "18.0.1.1.0",
    "category": "Services/Psychology",
    "website": "https://github.com/psy-center/psy-addons",
    "author": "Psychology Center Add-ons",
    "license": "LGPL-3",
    "development_status": "Beta",
    "depends": ["psy_session", "product"],
    "data": [
        "security/ir.model.access.csv",
        "security/psy_voucher_rules.xml",
        "data/psy_voucher_sequence.xml",
        "data/psy_voucher_mail_template.xml",
        "data/psy_voucher_cron.xml",
        "views/product_template_views.xml",
        "wizards/psy_voucher_transfer_wizard_views.xml",
        "wizards/psy_voucher_refund_wizard_views.xml",
        "wizards/psy_voucher_adjust_wizard_views.xml",
        "wizards/psy_voucher_complimentary_wizard_views.xml",
        "views/psy_voucher_views.xml",
        "views/psy_voucher_line_views.xml",
        "report/psy_voucher_report_views.xml",
        "views/psy_session_views.xml",
        "views/psy_patient_views.xml",
        "views/res_config_settings_views.xml",
        "views/psy_voucher_menus.xml",
    ],
    "demo": ["demo/psy_voucher_demo.xml"],
    "installable": True,
}
