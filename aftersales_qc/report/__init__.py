from . import aftersales_qc_inspection_report_quality
from . import aftersales_qc_report_xlsx
