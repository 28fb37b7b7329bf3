from . import sms_encoding
from . import sms_gateway
from . import protected_fields
