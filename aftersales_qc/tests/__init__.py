from . import test_qc_inspection
from . import test_qc_sampling
from . import test_technician_score
from . import test_score_rule
from . import test_payroll_bonus
from . import test_qc_access
from . import test_qc_report
from . import test_qc_context_keys
