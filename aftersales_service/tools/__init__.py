from . import protected_fields
