from . import aftersales_portal_rate
from . import aftersales_portal_otp
from . import aftersales_request
from . import repair_order
from . import ir_http
