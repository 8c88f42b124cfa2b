from . import psy_session_checklist_wizard
from . import psy_session_connection_wizard
