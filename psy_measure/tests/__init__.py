from . import test_scoring
from . import test_risk_alert
from . import test_assignment
from . import test_intake
from . import test_access
from . import test_routes
from . import test_measure_tour
from . import test_home
