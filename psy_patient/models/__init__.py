from . import res_company
from . import res_config_settings
from . import res_users
from . import psy_referral_source
from . import psy_specialty
from . import psy_guarded_mixin
from . import psy_patient
from . import psy_patient_guardian
