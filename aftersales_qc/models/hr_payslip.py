from odoo import Command, api, fields, models

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
        # OCA payroll reads the inputs from the payslip's own structure; the batch wizard (Payslip
        # Batches > Generate Payslips) calls this on an empty payslip, which has none. Declare the
        # bonus input for every contract whose structure pays it, whoever calls.
        declared = {line["contract_id"] for line in res if line.get("code") == BONUS_INPUT_CODE}
        for contract in contracts:
            bonus_input = self._aftersales_bonus_input(contract.struct_id)
            if bonus_input and contract.id not in declared:
                res.append({"name": bonus_input.name, "code": BONUS_INPUT_CODE, "contract_id": contract.id})
        bonus_lines = [line for line in res if line.get("code") == BONUS_INPUT_CODE]
        if not bonus_lines:
            return res
        contract_records = self.env["hr.contract"].browse({line["contract_id"] for line in bonus_lines})
        bonus = self._aftersales_bonus_by_employee(contract_records.employee_id, date_from, date_to)
        employee_of = {contract.id: contract.employee_id.id for contract in contract_records}
        for line in bonus_lines:
            amount = bonus.get(employee_of[line["contract_id"]])
            if amount is not None:
                line["amount"] = amount
        return res

    @api.model
    def _aftersales_bonus_input(self, structures):
        """The bonus input declared by the rules of ``structures`` (and their parents), if any."""
        rules = structures.get_structure_with_parents().get_all_rules()
        return rules.input_ids.filtered(lambda rule_input: rule_input.code == BONUS_INPUT_CODE)[:1]

    @api.model
    def _aftersales_bonus_by_employee(self, employees, date_from, date_to):
        """``{employee id: bonus}`` of the technician scores in the period."""
        # Computing the payslip is a payroll officer's act; the scores are derived figures that
        # the system creates and refreshes for it, while officers keep read-only access to them.
        return (
            self.env["aftersales.technician.score"]
            .sudo()
            ._get_for_payroll(employees, fields.Date.to_date(date_from), fields.Date.to_date(date_to))
        )

    def compute_sheet(self):
        """Pay the bonus of the scores as they are now, on every (re)computation of a draft payslip.

        Payslips created by the batch wizard, by the form or by hand, and payslips recomputed after
        a score changed, all get the bonus input line their structure declares, with today's amount.
        """
        open_slips = self.filtered(lambda slip: slip.state in ("draft", "verify") and slip.date_from and slip.date_to)
        # one score read per pay period, not per payslip: a batch shares its period
        for (date_from, date_to), slips in open_slips.grouped(lambda slip: (slip.date_from, slip.date_to)).items():
            bonus = self._aftersales_bonus_by_employee(slips.employee_id, date_from, date_to)
            for payslip in slips:
                bonus_input = self._aftersales_bonus_input(payslip.struct_id or payslip.contract_id.struct_id)
                amount = bonus.get(payslip.employee_id.id, 0.0)
                line = payslip.input_line_ids.filtered(lambda input_line: input_line.code == BONUS_INPUT_CODE)[:1]
                if not bonus_input or (not line and not amount):
                    continue
                if not line:
                    payslip.input_line_ids = [
                        Command.create(
                            {
                                "name": bonus_input.name,
                                "code": BONUS_INPUT_CODE,
                                "contract_id": payslip.contract_id.id,
                                "amount": amount,
                            }
                        )
                    ]
                elif line.amount != amount:
                    line.amount = amount
        return super().compute_sheet()

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
