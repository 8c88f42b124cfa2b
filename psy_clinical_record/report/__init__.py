from . import psy_clinical_record_report
