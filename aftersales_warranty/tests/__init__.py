from . import test_tools
from . import test_warranty_type
from . import test_warranty
from . import test_delivery
from . import test_cron
from . import test_import
from . import test_lookup
from . import test_access
