from . import repair_order_dispatch_suggest
from . import repair_order_dispatch_decline
