# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Psychology Sessions",
    "summary": "Therapy session agenda: rooms, modalities, Calendar sync, "
    "cancellation policy and no double booking",
    "version": "18.0.2.2.0",
    "category": "Services/Psychology",
    "website": "https://github.com/psy-center/psy-addons",
    "author": "Psychology Center Add-ons",
    "license": "LGPL-3",
    "development_status": "Beta",
    "depends": ["psy_patient", "calendar", "product"],
    "data": [
        "security/ir.model.access.csv",
        "security/psy_session_rules.xml",
        "data/psy_session_mail_template.xml",
        "data/psy_session_cron.xml",
        "views/psy_room_views.xml",
        "views/product_template_views.xml",
        "wizards/psy_session_recurrence_wizard_views.xml",
        "views/psy_session_views.xml",
        "views/psy_session_today_views.xml",
        "views/psy_patient_views.xml",
        "views/res_config_settings_views.xml",
        "views/psy_session_menus.xml",
    ],
    "demo": ["demo/psy_session_demo.xml"],
    "assets": {
        "web.assets_backend": [
            "psy_session/static/src/views/agenda/*",
        ],
        "web.assets_tests": [
            "psy_session/static/tests/tours/*",
        ],
    },
    "installable": True,
}
