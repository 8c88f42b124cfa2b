from . import models


def _psy_billing_l10n_es_post_init(env):
    """Fill the Spanish defaults of the companies whose Spanish chart of
    accounts is already loaded (only the fields they left empty)."""
    env["res.company"].search([])._psy_set_chart_defaults()
