# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Psychology Group Programs",
    "summary": "Group programs (e.g. an 8-week mindfulness group): a series of "
    "group sessions with enrolments, a waiting list, attendance sheets and a "
    "program pack",
    "version": "18.0.1.0.0",
    "category": "Services/Psychology",
    "website": "https://github.com/psy-center/psy-addons",
    "author": "Psychology Center Add-ons",
    "license": "LGPL-3",
    "development_status": "Beta",
    "depends": ["psy_session", "psy_voucher"],
    "data": [
        "security/ir.model.access.csv",
        "security/psy_program_rules.xml",
        "views/psy_session_participant_views.xml",
        "views/psy_program_enrolment_views.xml",
        "views/psy_program_views.xml",
        "views/psy_session_views.xml",
        "views/psy_patient_views.xml",
        "views/psy_program_menus.xml",
    ],
    "demo": ["demo/psy_program_demo.xml"],
    "installable": True,
}
