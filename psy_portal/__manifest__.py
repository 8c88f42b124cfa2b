# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Psychology Portal",
    "summary": "The patient's side: sessions, cancellation under the center's "
    "policy, packs, invoices with online payment, guardians of minors and "
    "teletherapy from the portal",
    "version": "18.0.1.0.0",
    "category": "Services/Psychology",
    "website": "https://github.com/psy-center/psy-addons",
    "author": "Psychology Center Add-ons",
    "license": "LGPL-3",
    "development_status": "Beta",
    "depends": [
        "psy_billing_bridge",
        "psy_consent",
        "portal",
        "account_payment",
    ],
    "data": [
        "security/ir.model.access.csv",
        "security/psy_portal_rules.xml",
        "wizards/psy_session_checklist_wizard_views.xml",
        "wizards/psy_session_connection_wizard_views.xml",
        "views/psy_session_views.xml",
        "views/res_config_settings_views.xml",
        "views/psy_portal_templates.xml",
        "report/report_invoice.xml",
    ],
    "demo": ["demo/psy_portal_demo.xml"],
    "assets": {
        "web.assets_tests": [
            "psy_portal/static/tests/tours/*.js",
        ],
    },
    "installable": True,
}
