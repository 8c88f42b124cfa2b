from . import test_session_state
from . import test_session_booking
from . import test_session_concurrency
from . import test_session_calendar
from . import test_session_recurrence
from . import test_session_reminder
from . import test_session_access
from . import test_patient_sessions
