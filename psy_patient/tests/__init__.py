from . import test_patient
from . import test_patient_access
