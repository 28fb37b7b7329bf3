from . import aftersales_sms_provider
from . import aftersales_sms_inbound
from . import sms_sms
