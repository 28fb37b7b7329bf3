from . import test_worklog
from . import test_parts_accounting
from . import test_consignment
from . import test_part_request
