from odoo import fields, models


class AftersalesWorklogAction(models.Model):
    _name = "aftersales.worklog.action"
    _description = "Technician Work Action"
    _order = "sequence, code, id"
    _rec_names_search = ["code", "name"]

    code = fields.Char(required=True, index=True, help="Short code a technician picks from a list.")
    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)

    _sql_constraints = [
        ("code_uniq", "unique (code)", "The code of a work action must be unique."),
    ]

    def _compute_display_name(self):
        for action in self:
            action.display_name = f"[{action.code}] {action.name}" if action.code else action.name
