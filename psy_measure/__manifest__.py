# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Psychology Measures",
    "summary": "Psychometric instruments on Odoo Survey: PHQ-9 and GAD-7 "
    "scored with severity bands, risk alerts, portal assignment and "
    "reminders, intake forms, results and trends in the clinical record",
    "version": "18.0.1.0.0",
    "category": "Services/Psychology",
    "website": "https://github.com/psy-center/psy-addons",
    "author": "Psychology Center Add-ons",
    "license": "LGPL-3",
    "development_status": "Beta",
    "depends": ["survey", "psy_clinical_record", "psy_session"],
    "data": [
        "security/ir.model.access.csv",
        "security/psy_measure_rules.xml",
        "data/mail_activity_type_data.xml",
        "data/psy_measure_mail_template.xml",
        "data/psy_measure_cron.xml",
        "data/survey_phq9_data.xml",
        "data/survey_gad7_data.xml",
        "data/survey_intake_data.xml",
        "views/psy_measure_result_views.xml",
        "views/psy_measure_assignment_views.xml",
        "views/survey_survey_views.xml",
        "views/psy_clinical_record_views.xml",
        "views/psy_session_views.xml",
        "views/res_config_settings_views.xml",
        "views/survey_templates.xml",
        "views/psy_measure_menus.xml",
        "report/psy_clinical_record_report.xml",
    ],
    "demo": ["demo/psy_measure_demo.xml"],
    "assets": {
        "web.assets_tests": [
            "psy_measure/static/tests/tours/*.js",
        ],
    },
    "installable": True,
}
