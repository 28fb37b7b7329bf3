from . import aftersales_request_add_units
from . import repair_order_assign_technician
from . import hr_employee_monthly_report
