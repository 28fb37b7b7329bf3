from odoo import api, fields, models
from odoo.exceptions import AccessError


class RepairOrderAssignTechnician(models.TransientModel):
    _name = "repair.order.assign.technician"
    _description = "Assign a Technician to Service Orders"

    repair_ids = fields.Many2many("repair.order", string="Service Orders", required=True)
    company_id = fields.Many2one("res.company", compute="_compute_company_id")
    service_centre_id = fields.Many2one("aftersales.service.centre", compute="_compute_company_id")
    technician_id = fields.Many2one(
        "hr.employee",
        required=True,
        domain="[('is_technician', '=', True), ('company_id', 'in', [company_id, False])]",
    )

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        if self.env.context.get("active_model") == "repair.order" and "repair_ids" in fields_list:
            res["repair_ids"] = [fields.Command.set(self.env.context.get("active_ids", []))]
        return res

    @api.depends("repair_ids")
    def _compute_company_id(self):
        for wizard in self:
            wizard.company_id = wizard.repair_ids.company_id[:1]
            wizard.service_centre_id = wizard.repair_ids.service_centre_id[:1]

    def action_assign(self):
        self.ensure_one()
        if not self.env.user.has_group("aftersales_service.group_aftersales_dispatcher"):
            raise AccessError(self.env._("Only dispatchers and after-sales managers can assign technicians."))
        orders = self.repair_ids
        orders.check_access("write")
        orders._check_assignable(self.technician_id)
        # dispatcher, orders and technician checked above: the assignment is a protected field, written as
        # superuser (the company check of the technician still applies)
        orders.sudo().write({"technician_id": self.technician_id.id})
        return {"type": "ir.actions.act_window_close"}
