from . import res_company
from . import res_config_settings
from . import product_template
from . import psy_room
from . import psy_session
from . import calendar_event
from . import psy_patient
