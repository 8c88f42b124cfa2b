from . import test_program
from . import test_enrolment
from . import test_attendance
from . import test_pack
from . import test_access
from . import test_write_paths
from . import test_concurrency
