from . import protected_fields
from . import public_api
