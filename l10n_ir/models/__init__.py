from . import template_ir
from . import account_move
from . import res_company
from . import res_currency
from . import res_partner
