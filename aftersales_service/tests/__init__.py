from . import test_reception
from . import test_batch_units
from . import test_service_order
from . import test_access
