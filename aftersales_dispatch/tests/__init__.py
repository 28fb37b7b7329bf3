from . import test_dispatch_engine
from . import test_dispatch_flow
from . import test_dispatch_concurrency
from . import test_notifications
from . import test_dispatch_iran_week
from . import test_protected_fields
from . import test_service_order
