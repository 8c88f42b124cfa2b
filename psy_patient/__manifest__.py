# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Psychology Patients",
    "summary": "Patient files, professionals and roles of a psychology center",
    "version": "18.0.1.0.0",
    "category": "Services/Psychology",
    "website": "https://github.com/psy-center/psy-addons",
    "author": "Psychology Center Add-ons",
    "license": "LGPL-3",
    "development_status": "Beta",
    "depends": ["mail"],
    "external_dependencies": {"python": ["python-stdnum"]},
    "data": [
        "security/psy_security.xml",
        "security/ir.model.access.csv",
        "security/psy_rules.xml",
        "data/psy_referral_source_data.xml",
        "data/psy_specialty_data.xml",
        "views/psy_patient_views.xml",
        "views/psy_referral_source_views.xml",
        "views/psy_specialty_views.xml",
        "views/res_users_views.xml",
        "views/res_config_settings_views.xml",
        "views/psy_home_views.xml",
        "views/psy_menus.xml",
    ],
    "demo": ["demo/psy_patient_demo.xml"],
    "assets": {
        "web.assets_backend": [
            "psy_patient/static/src/home/*",
        ],
    },
    "installable": True,
}
