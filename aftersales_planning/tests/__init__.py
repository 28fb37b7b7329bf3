from . import test_planning
from . import test_plan_map
from . import test_plan_journey_tour
