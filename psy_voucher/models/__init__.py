from . import res_company
from . import res_config_settings
from . import product_template
from . import psy_voucher
from . import psy_voucher_line
from . import psy_session
from . import psy_patient
