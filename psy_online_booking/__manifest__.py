# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Psychology Online Booking",
    "summary": "Patients book sessions online from the professionals' real "
    "working hours: free slots, requests the front desk confirms, no double "
    "booking",
    "version": "18.0.1.1.0",
    "category": "Services/Psychology",
    "website": "https://github.com/psy-center/psy-addons",
    "author": "Psychology Center Add-ons",
    "license": "LGPL-3",
    "development_status": "Beta",
    "depends": ["psy_session", "portal", "resource"],
    "data": [
        "security/ir.model.access.csv",
        "security/psy_online_booking_rules.xml",
        "data/psy_online_booking_mail_template.xml",
        "data/psy_online_booking_cron.xml",
        "views/psy_booking_request_views.xml",
        "views/product_template_views.xml",
        "views/res_users_views.xml",
        "views/res_config_settings_views.xml",
        "views/psy_online_booking_templates.xml",
        "views/psy_online_booking_menus.xml",
    ],
    "demo": ["demo/psy_online_booking_demo.xml"],
    "assets": {
        "web.assets_frontend": [
            "psy_online_booking/static/src/js/psy_online_booking.js",
        ],
        "web.assets_tests": [
            "psy_online_booking/static/tests/tours/*.js",
        ],
    },
    "installable": True,
}
