from . import res_company
from . import res_config_settings
from . import res_users
from . import product_template
from . import psy_booking_availability
from . import psy_booking_attempt
from . import psy_booking_request
