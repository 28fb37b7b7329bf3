"""Helpers of the public API over Odoo's RPC (XML-RPC and JSON-RPC): one call per business step.

The ``api_*`` methods (and ``add_units``, ``create_service_orders``, ``dispatch_ranking``) are thin
wrappers on the business methods the buttons use, run with the caller's rights and record rules; they
return plain data (dicts, lists, ids, ``False``), never ``None`` nor a window action, so that XML-RPC
can marshal it. A refusal raises ``UserError`` / ``AccessError`` (an RPC fault) and, the call being one
transaction, writes nothing.
"""

from odoo import fields

DISPATCHER_GROUP = "aftersales_service.group_aftersales_dispatcher"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_API_CODES = 1000
MAX_API_PHOTOS = 20


def api_datetime(value):
    """A datetime as the ORM's string, ``False`` when empty (XML-RPC has no ``None``)."""
    return fields.Datetime.to_string(value) if value else False


class ApiRollback(Exception):
    """Raised inside a savepoint to undo a half-made record when the input is refused."""
