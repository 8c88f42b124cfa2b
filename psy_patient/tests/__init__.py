from . import test_patient
from . import test_patient_access
from . import test_write_paths
from . import test_home
from . import test_patient_search
