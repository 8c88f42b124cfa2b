from . import res_company
from . import res_config_settings
from . import psy_patient
from . import psy_session
from . import psy_voucher
from . import account_move
from . import psy_portal_demo
