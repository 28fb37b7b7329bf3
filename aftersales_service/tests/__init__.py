from . import test_sms_encoding
from . import test_sms_gateway
from . import test_sms_inbound
from . import test_sms_webhook
from . import test_reception
from . import test_batch_units
from . import test_service_order
from . import test_access
