from . import test_portal_access
from . import test_portal_cancel
from . import test_routes_bad_input
from . import test_teletherapy
from . import test_invoice_report
from . import test_portal_tour
from . import test_invoice_payment
