from odoo import api, fields, models

BONUS_INPUT_CODE = "AFTERSALES_BONUS"


class HrPayslip(models.Model):
    _inherit = "hr.payslip"

    aftersales_score_ids = fields.Many2many(
        "aftersales.technician.score",
        compute="_compute_aftersales_score_ids",
        string="Technician Scores",
        help="Monthly scores of the employee in the payslip period; their bonus fills the " "AFTERSALES_BONUS input.",
    )
    aftersales_score_count = fields.Integer(compute="_compute_aftersales_score_ids", string="Scores")

    @api.depends("employee_id", "date_from", "date_to")
    def _compute_aftersales_score_ids(self):
        Score = self.env["aftersales.technician.score"]
        scores = Score.search(
            [
                ("technician_id", "in", self.employee_id.ids),
                ("date_start", "<=", max(self.mapped("date_to") or [fields.Date.today()])),
                ("date_end", ">=", min(self.mapped("date_from") or [fields.Date.today()])),
            ]
        )
        for payslip in self:
            payslip.aftersales_score_ids = scores.filtered(
                lambda s, p=payslip: s.technician_id == p.employee_id
                and p.date_from
                and p.date_to
                and s.date_start <= p.date_to
                and s.date_end >= p.date_from
            )
            payslip.aftersales_score_count = len(payslip.aftersales_score_ids)

    @api.model
    def get_inputs(self, contracts, date_from, date_to):
        res = super().get_inputs(contracts, date_from, date_to)
        bonus_lines = [line for line in res if line.get("code") == BONUS_INPUT_CODE]
        if not bonus_lines:
            return res
        contract_records = self.env["hr.contract"].browse({line["contract_id"] for line in bonus_lines})
        # Computing the payslip is a payroll officer's act; the scores are derived figures that
        # the system creates and refreshes for it, while officers keep read-only access to them.
        bonus = (
            self.env["aftersales.technician.score"]
            .sudo()
            ._get_for_payroll(
                contract_records.employee_id, fields.Date.to_date(date_from), fields.Date.to_date(date_to)
            )
        )
        employee_of = {contract.id: contract.employee_id.id for contract in contract_records}
        for line in bonus_lines:
            amount = bonus.get(employee_of[line["contract_id"]])
            if amount is not None:
                line["amount"] = amount
        return res

    def action_payslip_done(self):
        res = super().action_payslip_done()
        # Confirming the payslip freezes the scores it paid; the payroll officer has no write
        # access on scores, the lock is part of the payslip confirmation.
        self.aftersales_score_ids.sudo().action_lock()
        return res

    def action_view_aftersales_scores(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Technician Scores"),
            "res_model": "aftersales.technician.score",
            "view_mode": "list,form",
            "domain": [("id", "in", self.aftersales_score_ids.ids)],
            "context": {"create": False},
        }
