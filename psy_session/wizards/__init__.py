from . import psy_session_recurrence_wizard
from . import psy_session_recurrence_line
