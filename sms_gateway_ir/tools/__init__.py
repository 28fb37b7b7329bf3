from . import sms_encoding
from . import sms_gateway
