from . import aftersales_portal_rate
from . import aftersales_portal_otp
from . import aftersales_request
from . import aftersales_worklog
from . import mail_push_device
from . import repair_order
from . import ir_http
