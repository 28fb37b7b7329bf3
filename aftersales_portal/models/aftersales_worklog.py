from odoo import fields, models


class AftersalesWorklog(models.Model):
    _inherit = "aftersales.worklog"

    sync_key = fields.Char(
        readonly=True,
        copy=False,
        help="Key the technician's phone generated for the last report it sent from offline drafts: "
        "a retry of the same submission is recognised and never applied twice.",
    )
    sync_user_id = fields.Many2one(
        "res.users",
        string="Synced By",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The signed-in user who sent the submission of the sync key.",
    )

    _sql_constraints = [
        (
            "sync_key_uniq",
            "unique(company_id, sync_user_id, sync_key)",
            "A submission from the phone is stored only once.",
        ),
    ]

    def _aftersales_protected_fields(self):
        """The sync key is written only by the portal sync, as superuser after its checks."""
        return (*super()._aftersales_protected_fields(), "sync_key", "sync_user_id")
