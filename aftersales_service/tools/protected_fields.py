"""Workflow, approval, money and warranty fields that only the action methods change.

A model lists such fields once, in a method ``_aftersales_protected_fields()`` that every addon adding
such fields extends with ``super()`` (the dispatch addon adds its fields to ``repair.order``'s, the QC
addon to ``aftersales.worklog``'s), and calls :func:`check_protected_fields` from its ``write`` (and its
``create`` where it matters). A client can
send any field over RPC; the action methods check the caller first and then write these fields as
superuser, so only superuser and after-sales managers may write them directly.
"""

from odoo.exceptions import AccessError

MANAGER_GROUP = "aftersales_warranty.group_aftersales_manager"


def check_protected_fields(records, vals, protected, allow_manager=True):
    """Refuse the values of ``protected`` fields found in ``vals`` (a dict of a write or a create).

    Allowed in a superuser environment (trusted code, after its own checks) and, with
    ``allow_manager``, for after-sales managers. The error names the fields.
    """
    env = records.env
    touched = [name for name in protected if name in vals]
    if not touched or env.su or (allow_manager and env.user.has_group(MANAGER_GROUP)):
        return
    labels = ", ".join(records._fields[name]._description_string(env) for name in touched)
    raise AccessError(
        env._(
            "%(fields)s of %(document)s change only through its buttons (submit, approve, assign...); "
            "they cannot be written directly.",
            fields=labels,
            document=env["ir.model"].sudo()._get(records._name).name,
        )
    )
