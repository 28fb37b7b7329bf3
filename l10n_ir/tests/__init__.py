from . import test_words
from . import test_identifiers
from . import test_chart
from . import test_invoice_report
from . import test_portal_postal_code
