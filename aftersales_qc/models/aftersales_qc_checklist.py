from odoo import api, fields, models


class AftersalesQcChecklist(models.Model):
    _name = "aftersales.qc.checklist"
    _description = "QC Checklist"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    service_type_id = fields.Many2one(
        "aftersales.service.type",
        index=True,
        help="Worklogs of orders of this service type are inspected with this checklist. "
        "A checklist without service type is the fallback for every other type.",
    )
    company_id = fields.Many2one(
        "res.company", index=True, help="Leave empty to share the checklist between companies."
    )
    item_ids = fields.One2many("aftersales.qc.checklist.item", "checklist_id", string="Items", copy=True)
    item_count = fields.Integer(compute="_compute_item_count")

    @api.depends("item_ids")
    def _compute_item_count(self):
        for checklist in self:
            checklist.item_count = len(checklist.item_ids)

    @api.model
    def _get_for_service_types(self, service_types, company):
        """Return {service_type_id: checklist} for the given service types.

        The checklist of the type wins; the checklist without type is the fallback.
        One search for the whole batch.
        """
        checklists = self.search(
            [
                ("service_type_id", "in", service_types.ids + [False]),
                ("company_id", "in", [company.id, False]),
            ],
            order="company_id, sequence, id",
        )
        fallback = checklists.filtered(lambda c: not c.service_type_id)[:1]
        result = {}
        for service_type in service_types:
            result[service_type.id] = (
                checklists.filtered(lambda c, st=service_type: c.service_type_id == st)[:1] or fallback
            )
        result[False] = fallback
        return result
