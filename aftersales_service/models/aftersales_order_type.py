from odoo import fields, models


class AftersalesOrderType(models.Model):
    _name = "aftersales.order.type"
    _description = "After-Sales Order Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(index=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    location = fields.Selection(
        [
            ("workshop", "In the workshop"),
            ("on_site", "At the customer's site"),
            ("remote", "Remotely"),
        ],
        required=True,
        default="workshop",
        help="Where the work happens: on-site orders need a technician travelling to the customer.",
    )
    description = fields.Text(translate=True)
