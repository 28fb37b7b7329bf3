from . import test_reception
from . import test_batch_units
from . import test_service_order
from . import test_access
from . import test_worklog
from . import test_parts_accounting
from . import test_consignment
from . import test_part_request
