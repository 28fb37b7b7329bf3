from . import test_resource_calendar_ir
