# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Psychology Consent",
    "summary": "Informed consent: versioned templates, portal and in-office "
    "e-signature, minors and guardians, revocation and sessions gated on "
    "valid consent",
    "version": "18.0.1.1.0",
    "category": "Services/Psychology",
    "website": "https://github.com/psy-center/psy-addons",
    "author": "Psychology Center Add-ons",
    "license": "LGPL-3",
    "development_status": "Beta",
    "depends": ["psy_session", "portal"],
    "data": [
        "security/ir.model.access.csv",
        "security/psy_consent_rules.xml",
        "data/psy_consent_type_data.xml",
        "data/psy_consent_sequence.xml",
        "data/psy_consent_mail_template.xml",
        "data/psy_consent_cron.xml",
        "report/psy_consent_report.xml",
        "views/psy_consent_type_views.xml",
        "views/psy_consent_template_views.xml",
        "wizards/psy_consent_sign_wizard_views.xml",
        "wizards/psy_consent_reason_wizard_views.xml",
        "wizards/psy_session_consent_override_wizard_views.xml",
        "views/psy_consent_views.xml",
        "views/psy_patient_views.xml",
        "views/psy_session_views.xml",
        "views/res_config_settings_views.xml",
        "views/psy_consent_portal_templates.xml",
        "views/psy_consent_menus.xml",
    ],
    "demo": [
        "demo/psy_consent_template_demo.xml",
        "demo/psy_consent_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "psy_consent/static/tests/tours/*.js",
        ],
    },
    "installable": True,
}
