from . import psy_consent_sign_wizard
from . import psy_consent_reason_wizard
from . import psy_session_consent_override_wizard
