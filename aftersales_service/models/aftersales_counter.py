from odoo import fields, models


class AftersalesCounter(models.Model):
    _name = "aftersales.counter"
    _description = "After-Sales Reception Counter"
    _order = "service_centre_id, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    code = fields.Char(index=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    service_centre_id = fields.Many2one(
        "aftersales.service.centre",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(related="service_centre_id.company_id", store=True, index=True)
    user_ids = fields.Many2many(
        "res.users",
        "aftersales_counter_res_users_rel",
        "counter_id",
        "user_id",
        string="Reception Users",
        help="Users working at this desk; their new requests default to it.",
    )
