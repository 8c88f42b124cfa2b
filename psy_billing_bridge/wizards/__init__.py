from . import psy_session_invoice_wizard
from . import psy_voucher_liability_wizard
from . import psy_voucher_liability_line
