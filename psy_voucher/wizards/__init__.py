from . import psy_voucher_transfer_wizard
from . import psy_voucher_refund_wizard
from . import psy_voucher_adjust_wizard
from . import psy_voucher_complimentary_wizard
