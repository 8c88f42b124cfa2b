from . import test_invoice_content
from . import test_fees
from . import test_insurer
from . import test_monthly_batch
from . import test_pack_deferred
from . import test_approach_b
from . import test_deferred_batch
from . import test_l10n_es
