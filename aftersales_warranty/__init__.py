from . import models
from . import wizards
from .models.aftersales_warranty import drop_lookup_functions


def uninstall_hook(env):
    """Drop what the module created outside the ORM: the lookup function (data/aftersales_warranty_lookup.sql)."""
    drop_lookup_functions(env.cr)
