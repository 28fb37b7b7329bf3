from . import test_portal_rate_otp
from . import test_portal_http
from . import test_portal_tours
from . import test_portal_rtl
from . import test_xlsx_upload
from . import test_portal_security
from . import test_portal_worklog
from . import test_portal_requests
