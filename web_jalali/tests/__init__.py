from . import test_web_jalali
