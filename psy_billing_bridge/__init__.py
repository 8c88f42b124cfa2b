from . import models
from . import wizards


def _psy_billing_post_init(env):
    """Default the health-care exempt tax of companies whose Spanish chart is
    already installed."""
    env["res.company"].search([])._psy_set_default_exempt_tax()
