from . import aftersales_dispatch
from . import aftersales_service_type
from . import aftersales_request
from . import hr_employee
from . import hr_employee_public
from . import repair_order
from . import res_company
from . import res_partner
