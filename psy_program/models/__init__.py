from . import psy_program
from . import psy_program_enrolment
from . import psy_program_demo
from . import psy_session
from . import psy_session_participant
from . import psy_patient
