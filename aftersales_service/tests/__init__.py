from . import test_reception
from . import test_batch_units
from . import test_service_order
from . import test_access
from . import test_reports
from . import test_report_exports
