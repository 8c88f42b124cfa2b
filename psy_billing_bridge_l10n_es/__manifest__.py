# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Psychology Billing Bridge - Spain",
    "summary": "Spanish defaults of the psychology billing: VAT exemption of "
    "health care (art. 20.Uno.3 Ley 37/1992) with its legal note, accounts "
    "485 and 438",
    "version": "18.0.1.0.0",
    "category": "Services/Psychology",
    "website": "https://github.com/psy-center/psy-addons",
    "author": "Psychology Center Add-ons",
    "license": "LGPL-3",
    "development_status": "Beta",
    "depends": ["psy_billing_bridge", "l10n_es"],
    "post_init_hook": "_psy_billing_l10n_es_post_init",
    "auto_install": True,
    "installable": True,
}
