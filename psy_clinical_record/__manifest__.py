# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Psychology Clinical Records",
    "summary": "Clinical history, ICD-10-CM diagnoses, treatment plan, signed "
    "session notes, private notes, confidentiality and access audit",
    "version": "18.0.1.1.0",
    "category": "Services/Psychology",
    "website": "https://github.com/psy-center/psy-addons",
    "author": "Psychology Center Add-ons",
    "license": "LGPL-3",
    "development_status": "Beta",
    "depends": ["psy_session"],
    "external_dependencies": {"python": ["simple-icd-10-cm"]},
    "data": [
        "security/ir.model.access.csv",
        "security/psy_clinical_rules.xml",
        "data/psy_note_template_data.xml",
        "data/psy_diagnosis_code_data.xml",
        "data/psy_clinical_cron.xml",
        "report/psy_clinical_record_report.xml",
        "views/psy_diagnosis_code_views.xml",
        "views/psy_note_template_views.xml",
        "views/psy_session_note_views.xml",
        "views/psy_private_note_views.xml",
        "views/psy_clinical_record_views.xml",
        "views/psy_clinical_access_log_views.xml",
        "views/psy_clinical_access_grant_views.xml",
        "views/psy_patient_views.xml",
        "views/psy_session_views.xml",
        "views/res_config_settings_views.xml",
        "wizards/psy_session_note_sign_views.xml",
        "views/psy_clinical_menus.xml",
    ],
    "demo": ["demo/psy_clinical_record_demo.xml"],
    "assets": {
        "web.assets_tests": [
            "psy_clinical_record/static/tests/tours/*.js",
        ],
    },
    "installable": True,
}
