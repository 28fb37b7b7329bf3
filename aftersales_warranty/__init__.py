from . import models
from . import wizards


def uninstall_hook(env):
    """Drop what the module created outside the ORM: the lookup function (data/aftersales_warranty_lookup.sql)."""
    env.cr.execute("DROP FUNCTION IF EXISTS aftersales_warranty_lookup(varchar[], int[], int, varchar)")
