from . import test_slots
from . import test_booking
from . import test_write_paths
from . import test_booking_concurrency
from . import test_routes_bad_input
from . import test_booking_tour
