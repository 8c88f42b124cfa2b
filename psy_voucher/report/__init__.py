from . import psy_voucher_report
