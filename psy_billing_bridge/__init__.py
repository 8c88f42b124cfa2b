from . import models
from . import wizards


def _psy_billing_post_init(env):
    """Fill the localization defaults of the companies whose chart of accounts
    is already loaded (see ``LOCALIZATION_DEFAULTS``)."""
    env["res.company"].search([])._psy_set_localization_defaults()
