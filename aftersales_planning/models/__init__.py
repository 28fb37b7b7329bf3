from . import aftersales_planner
from . import aftersales_plan
from . import aftersales_plan_visit
from . import repair_order
from . import res_company
from . import aftersales_ops_map
