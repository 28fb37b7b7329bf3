from . import test_sms_encoding
from . import test_sms_gateway
