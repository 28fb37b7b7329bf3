from . import test_planning
