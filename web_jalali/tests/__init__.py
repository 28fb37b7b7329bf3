from . import test_tools
from . import test_web_jalali
