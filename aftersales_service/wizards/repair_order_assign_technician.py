from odoo import api, fields, models


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
        self.repair_ids._check_assignable(self.technician_id)
        self.repair_ids.write({"technician_id": self.technician_id.id})
        return {"type": "ir.actions.act_window_close"}
