from . import models
from . import wizards
from . import report


def uninstall_hook(env):
    """Drop what the reports' stored monthly figures added outside Odoo's models (triggers, tables)."""
    env.cr.execute(
        """
        SELECT tgname, tgrelid::regclass::text FROM pg_trigger
         WHERE NOT tgisinternal AND tgname LIKE 'aftersales_rollup_%'
        """
    )
    for name, table in env.cr.fetchall():
        env.cr.execute(f'DROP TRIGGER IF EXISTS "{name}" ON "{table}"')
        env.cr.execute(f'DROP FUNCTION IF EXISTS "{name}"()')
    env.cr.execute(
        "DROP TABLE IF EXISTS aftersales_report_rollup_part, aftersales_report_rollup, aftersales_report_change"
    )
