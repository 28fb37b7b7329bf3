from . import ir_http
from . import sms_gateway_provider
from . import sms_inbound
from . import sms_sms
