from datetime import date

from dateutil.relativedelta import relativedelta

from odoo.tests import Form, tagged

from .common import AftersalesQcCommon


@tagged("post_install", "-at_install")
class TestPayrollBonus(AftersalesQcCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["aftersales.score.rule"].create(
            {"name": "QC test payroll rule", "company_id": cls.company.id, "sequence": -1, "amount_per_point": 10.0}
        )
        # one approved, closed job this month for the technician
        order = cls._order(cls.tech_1)
        cls._approve(cls._submit(order, hours=2.0).qc_inspection_ids)
        cls._close(order)
        # salary structure: basic + the shipped bonus rule + net
        Category = cls.env["hr.salary.rule.category"]
        basic = Category.create({"name": "Basic", "code": "BASIC"})
        allowance = Category.create({"name": "Allowance", "code": "ALW"})
        net = Category.create({"name": "Net", "code": "NET"})
        cls.env.ref("aftersales_qc.hr_salary_rule_category_aftersales_bonus").parent_id = allowance
        Rule = cls.env["hr.salary.rule"]
        cls.bonus_rule = cls.env.ref("aftersales_qc.hr_salary_rule_aftersales_bonus")
        structure = cls.env["hr.payroll.structure"].create(
            {
                "name": "QC test technician structure",
                "code": "QCTECH",
                "company_id": cls.company.id,
                "rule_ids": [
                    (
                        4,
                        Rule.create(
                            {
                                "name": "Basic",
                                "code": "BASIC",
                                "sequence": 1,
                                "category_id": basic.id,
                                "amount_select": "code",
                                "amount_python_compute": "result = contract.wage",
                            }
                        ).id,
                    ),
                    (4, cls.bonus_rule.id),
                    (
                        4,
                        Rule.create(
                            {
                                "name": "Net",
                                "code": "NET",
                                "sequence": 200,
                                "category_id": net.id,
                                "amount_select": "code",
                                "amount_python_compute": "result = categories.BASIC + categories.ALW",
                            }
                        ).id,
                    ),
                ],
            }
        )
        Contract = cls.env["hr.contract"]
        month_start = date.today().replace(day=1)
        for employee in (cls.tech_1, cls.clerk):
            Contract.create(
                {
                    "name": f"Contract {employee.name}",
                    "employee_id": employee.id,
                    "wage": 3000.0,
                    "struct_id": structure.id,
                    "date_start": month_start,
                    "state": "open",
                }
            )

    def _payslip(self, employee):
        form = Form(self.env["hr.payslip"])
        form.employee_id = employee
        payslip = form.save()
        payslip.compute_sheet()
        return payslip

    def test_bonus_input_declared_on_rule(self):
        self.assertIn("AFTERSALES_BONUS", self.bonus_rule.input_ids.mapped("code"))

    def test_technician_payslip_has_bonus_line(self):
        payslip = self._payslip(self.tech_1)
        score = payslip.aftersales_score_ids
        self.assertEqual(len(score), 1)
        self.assertEqual(score.jobs_done, 1)
        self.assertGreater(score.bonus_amount, 0.0)
        bonus_input = payslip.input_line_ids.filtered(lambda line: line.code == "AFTERSALES_BONUS")
        self.assertAlmostEqual(bonus_input.amount, score.bonus_amount)
        line = payslip.line_ids.filtered(lambda line: line.code == "AFTERSALES_BONUS")
        self.assertAlmostEqual(line.total, score.bonus_amount)
        net = payslip.line_ids.filtered(lambda line: line.code == "NET")
        self.assertAlmostEqual(net.total, 3000.0 + score.bonus_amount)
        action = payslip.action_view_aftersales_scores()
        self.assertEqual(self.env["aftersales.technician.score"].search(action["domain"]), score)

    def test_non_technician_payslip_unchanged(self):
        payslip = self._payslip(self.clerk)
        self.assertFalse(payslip.aftersales_score_ids)
        self.assertFalse(payslip.line_ids.filtered(lambda line: line.code == "AFTERSALES_BONUS"))
        self.assertFalse(sum(payslip.input_line_ids.mapped("amount")))
        net = payslip.line_ids.filtered(lambda line: line.code == "NET")
        self.assertAlmostEqual(net.total, 3000.0)

    def test_payslip_done_locks_score(self):
        payslip = self._payslip(self.tech_1)
        score = payslip.aftersales_score_ids
        self.assertEqual(score.state, "draft")
        payslip.action_payslip_done()
        self.assertEqual(score.state, "locked")

    def test_batch_generation_pays_the_bonus(self):
        """Payslip Batches > Generate Payslips: the way payroll officers run a month."""
        today = date.today()
        run = self.env["hr.payslip.run"].create(
            {
                "name": "QC test month",
                "date_start": today.replace(day=1),
                "date_end": today.replace(day=1) + relativedelta(months=1, days=-1),
            }
        )
        wizard = (
            self.env["hr.payslip.employees"]
            .with_context(active_id=run.id)
            .create({"employee_ids": [(6, 0, (self.tech_1 | self.clerk).ids)]})
        )
        wizard.compute_sheet()
        technician_slip = run.slip_ids.filtered(lambda slip: slip.employee_id == self.tech_1)
        clerk_slip = run.slip_ids.filtered(lambda slip: slip.employee_id == self.clerk)
        score = technician_slip.aftersales_score_ids
        self.assertGreater(score.bonus_amount, 0.0)
        bonus_input = technician_slip.input_line_ids.filtered(lambda line: line.code == "AFTERSALES_BONUS")
        self.assertAlmostEqual(bonus_input.amount, score.bonus_amount)
        line = technician_slip.line_ids.filtered(lambda line: line.code == "AFTERSALES_BONUS")
        self.assertAlmostEqual(line.total, score.bonus_amount)
        net = technician_slip.line_ids.filtered(lambda line: line.code == "NET")
        self.assertAlmostEqual(net.total, 3000.0 + score.bonus_amount)
        # the clerk is no technician: no bonus line, the net is the wage
        self.assertFalse(clerk_slip.line_ids.filtered(lambda line: line.code == "AFTERSALES_BONUS"))
        self.assertAlmostEqual(clerk_slip.line_ids.filtered(lambda line: line.code == "NET").total, 3000.0)

    def test_recomputation_pays_the_current_bonus(self):
        """A payslip computed before the month's work is recomputed with the bonus earned since."""
        payslip = self._payslip(self.tech_1)
        bonus_input = payslip.input_line_ids.filtered(lambda line: line.code == "AFTERSALES_BONUS")
        earned = bonus_input.amount
        self.assertGreater(earned, 0.0)
        # an input line lost or zeroed (e.g. a payslip created without inputs) is restored on recompute
        bonus_input.unlink()
        payslip.compute_sheet()
        bonus_input = payslip.input_line_ids.filtered(lambda line: line.code == "AFTERSALES_BONUS")
        self.assertAlmostEqual(bonus_input.amount, earned)
        self.assertAlmostEqual(payslip.line_ids.filtered(lambda line: line.code == "AFTERSALES_BONUS").total, earned)
        # a second job approved after the first computation raises the bonus on recompute
        order = self._order(self.tech_1)
        self._approve(self._submit(order, hours=1.0).qc_inspection_ids)
        self._close(order)
        payslip.compute_sheet()
        score = payslip.aftersales_score_ids
        self.assertEqual(score.jobs_done, 2)
        self.assertGreater(score.bonus_amount, earned)
        self.assertAlmostEqual(
            payslip.line_ids.filtered(lambda line: line.code == "AFTERSALES_BONUS").total, score.bonus_amount
        )
