from odoo import api, fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    aftersales_warranty_expense_account_id = fields.Many2one(
        "account.account",
        string="Warranty Expense Account",
        check_company=True,
        domain="[('account_type', 'in', ('expense', 'expense_direct_cost')), ('deprecated', '=', False)]",
        help="Debited with the cost of parts consumed by service orders under warranty. It is the "
        "incoming valuation account of the company's Warranty Consumption location.",
    )
    aftersales_warranty_location_id = fields.Many2one(
        "stock.location",
        string="Warranty Consumption Location",
        check_company=True,
        help="Virtual location that receives the parts consumed by repairs under warranty, so that "
        "real-time valuation posts their cost to the warranty expense account.",
    )
    aftersales_scrap_recovery_account_id = fields.Many2one(
        "account.account",
        string="Removed Parts Account",
        check_company=True,
        domain="[('account_type', 'in', ('income_other', 'income', 'expense', 'expense_direct_cost')), "
        "('deprecated', '=', False)]",
        help="Credited with the value of the parts technicians remove from customers' units when they are "
        "received into a warehouse's Scrap Parts location (real-time valuation): a recovered parts income, "
        "or a reduction of the repair or warranty cost. Empty: the stock input account of the part's category.",
    )
    aftersales_worklog_auto_approve = fields.Boolean(
        string="Approve Worklogs on Submission",
        default=True,
        help="Submitted technician worklogs are approved at once. A quality-control step switches this "
        "off so that an inspector approves or rejects each worklog.",
    )
    aftersales_worklog_signature_required = fields.Boolean(
        string="Customer Signature Required",
        default=True,
        help="A worklog cannot be submitted without the customer's signature.",
    )
    aftersales_worklog_max_distance = fields.Float(
        string="Allowed Distance from Customer (km)",
        default=1.0,
        help="A worklog stamped farther than this from the customer's position shows a warning.",
    )
    aftersales_part_request_auto_approve = fields.Boolean(
        string="Approve Available Part Requests Automatically",
        help="A technician's part request is approved and its transfer created at once when the "
        "requested warehouse has the quantity available.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies.sudo()._aftersales_create_warranty_locations()
        return companies

    def write(self, vals):
        res = super().write(vals)
        if "aftersales_warranty_expense_account_id" in vals:
            self._aftersales_sync_warranty_location_account()
        return res

    def _aftersales_create_warranty_locations(self):
        """Create the Warranty Consumption location of each company that has none (also called from
        data on install for the existing companies)."""
        parent = self.env.ref("stock.stock_location_locations_virtual", raise_if_not_found=False)
        companies = self or self.search([])
        missing = companies.filtered(lambda c: not c.aftersales_warranty_location_id)
        if not missing:
            return
        locations = self.env["stock.location"].create(
            [
                {
                    "name": self.env._("Warranty Consumption"),
                    "usage": "inventory",
                    "location_id": parent.id if parent else False,
                    "company_id": company.id,
                    "valuation_in_account_id": company.aftersales_warranty_expense_account_id.id,
                }
                for company in missing
            ]
        )
        for company, location in zip(missing, locations, strict=True):
            company.aftersales_warranty_location_id = location

    def _aftersales_sync_warranty_location_account(self):
        for company in self.filtered("aftersales_warranty_location_id"):
            company.aftersales_warranty_location_id.sudo().valuation_in_account_id = (
                company.aftersales_warranty_expense_account_id
            )

    # ------------------------------------------------------------ SLA
    aftersales_sla_at_risk_percent = fields.Integer(
        string="SLA At-Risk Threshold (%)",
        default=75,
        help="An order is at risk once this share of the time allowed by its SLA deadline is used.",
    )
