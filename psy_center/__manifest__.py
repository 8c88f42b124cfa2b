# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Psychology Center",
    "summary": "Run a psychology practice in Odoo: patients, agenda, packs, "
    "billing, clinical records and consent",
    "version": "18.0.1.0.0",
    "category": "Services/Psychology",
    "website": "https://github.com/psy-center/psy-addons",
    "author": "Psychology Center Add-ons",
    "license": "LGPL-3",
    "development_status": "Beta",
    "depends": [
        "psy_patient",
        "psy_session",
        "psy_voucher",
        "psy_billing_bridge",
        "psy_clinical_record",
        "psy_consent",
        "psy_measure",
        "psy_program",
        "psy_portal",
        "psy_online_booking",
    ],
    "assets": {
        "web.assets_tests": [
            "psy_center/static/tests/tours/*.js",
        ],
    },
    "demo": ["demo/psy_center_demo.xml"],
    "application": True,
    "installable": True,
}
