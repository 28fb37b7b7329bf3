from . import aftersales_warranty_import
from . import aftersales_warranty_import_error
from . import aftersales_warranty_void
from . import product_template_serviceable
