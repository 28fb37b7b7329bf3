from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.aftersales_sla_policy import SLA_STATUSES
from ..models.repair_order import UNIT_STATUS

REPAIR_STATES = [
    ("draft", "New"),
    ("confirmed", "Confirmed"),
    ("under_repair", "Under Repair"),
    ("done", "Repaired"),
    ("cancel", "Cancelled"),
]


# Columns of repair_order the report reads: a statement changing one of them changes the report's months.
ORDER_COLUMNS = (
    "is_aftersales", "name", "aftersales_request_id", "company_id", "partner_id", "technician_id",
    "service_centre_id", "service_type_id", "order_type_id", "service_priority_id", "product_id", "lot_id",
    "under_warranty", "failure_mode_id", "failure_cause_id", "state", "aftersales_unit_status",
    "aftersales_date_received", "schedule_date", "date_assigned", "date_accepted", "date_started", "date_finished",
    "aftersales_worked_hours", "aftersales_visit_count", "aftersales_repeat_order", "sla_policy_id", "sla_status",
    "sla_resolution_deadline", "aftersales_rating", "aftersales_rating_count", "aftersales_rework",
)  # fmt: skip


class RepairOrderReportAftersales(models.Model):
    _name = "repair.order.report.aftersales"
    _inherit = ["aftersales.report.rollup.mixin"]
    _description = "After-Sales Service Order Analysis"
    _auto = False
    _rollup_source = ("repair_order", "aftersales_date_received")
    _rollup_partition = "date_received"
    _rec_name = "name"
    _order = "date_received desc, id desc"

    # ------------------------------------------------------------ dimensions
    name = fields.Char(string="Service Order", readonly=True)
    repair_id = fields.Many2one("repair.order", string="Service Order Record", readonly=True)
    request_id = fields.Many2one("aftersales.request", string="Service Request", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    region_id = fields.Many2one("res.country.state", readonly=True)
    country_id = fields.Many2one("res.country", readonly=True)
    technician_id = fields.Many2one("hr.employee", readonly=True)
    service_centre_id = fields.Many2one("aftersales.service.centre", readonly=True)
    service_type_id = fields.Many2one("aftersales.service.type", readonly=True)
    order_type_id = fields.Many2one("aftersales.order.type", readonly=True)
    priority_id = fields.Many2one("aftersales.priority", string="Service Priority", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    product_categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    lot_id = fields.Many2one("stock.lot", string="Serial", readonly=True)
    under_warranty = fields.Boolean(readonly=True)
    failure_mode_id = fields.Many2one("aftersales.failure.mode", readonly=True)
    failure_cause_id = fields.Many2one("aftersales.failure.cause", readonly=True)
    state = fields.Selection(REPAIR_STATES, string="Order Status", readonly=True)
    unit_status = fields.Selection(
        UNIT_STATUS,
        string="Product Status",
        readonly=True,
        help="Where the customer's product stands: received at reception, waiting for parts, in repair, "
        "waiting for the approval of its worklog (quality control), repaired and ready for pick-up while "
        "other units of its request are still in service, delivered (request closed), or cancelled.",
    )
    date_received = fields.Datetime(string="Received On", readonly=True)
    schedule_date = fields.Datetime(string="Scheduled On", readonly=True)
    date_assigned = fields.Datetime(string="Assigned On", readonly=True)
    date_first_response = fields.Datetime(string="First Response On", readonly=True)
    date_finished = fields.Datetime(string="Finished On", readonly=True)

    # ------------------------------------------------------------ measures
    order_count = fields.Integer(string="Orders", readonly=True)
    open_count = fields.Integer(string="Open Orders", readonly=True)
    done_count = fields.Integer(string="Done Orders", readonly=True)
    waiting_hours = fields.Float(
        string="Waiting Time (h)",
        readonly=True,
        aggregator="avg",
        help="Hours the customer waited, from the reception of the request to the end of the service order "
        "(calendar hours, nights and weekends included).",
    )
    response_hours = fields.Float(
        string="Response Time (h)",
        readonly=True,
        aggregator="avg",
        help="Hours from the reception to the first response: the technician's acceptance or the start of work.",
    )
    worked_hours = fields.Float(string="Time Spent (h)", readonly=True, help="Hours recorded on the worklogs.")
    worklog_count = fields.Integer(string="Visits", readonly=True, help="Submitted worklogs of the order.")
    ftf_count = fields.Integer(string="First-Time Fixes", readonly=True)
    ftf_rate = fields.Float(
        string="First-Time-Fix Rate (%)",
        readonly=True,
        aggregator="avg",
        help="Done orders fixed in one visit with no new order on the same serial within "
        "30 days: 100 for a first-time fix, 0 otherwise (empty while the order is open).",
    )
    sla_policy_id = fields.Many2one("aftersales.sla.policy", string="SLA Policy", readonly=True)
    sla_status = fields.Selection(
        SLA_STATUSES,
        string="SLA Status",
        readonly=True,
    )
    sla_resolution_deadline = fields.Datetime(string="Resolution Deadline", readonly=True)
    sla_met_count = fields.Integer(string="SLA Met", readonly=True)
    sla_breached_count = fields.Integer(string="SLA Breached", readonly=True)
    sla_at_risk_count = fields.Integer(string="SLA At Risk", readonly=True)
    sla_compliance = fields.Float(
        string="SLA Compliance (%)",
        readonly=True,
        aggregator="avg",
        help="100 for an order that met its SLA, 0 for a breached one (empty while undecided or without SLA).",
    )
    rating = fields.Float(
        string="Customer Rating",
        readonly=True,
        aggregator="avg",
        help="Average satisfaction the customer gave the order (1 to 5); empty when not rated.",
    )
    rating_count = fields.Integer(string="Ratings", readonly=True)
    rework_count = fields.Integer(string="Reworks", readonly=True, help="Orders with a rejected worklog.")
    rework_rate = fields.Float(
        string="Rework Rate (%)",
        readonly=True,
        aggregator="avg",
        help="100 when a worklog of the order was rejected and redone, 0 otherwise (submitted work only).",
    )

    # ------------------------------------------------------------ SQL
    def _select(self):
        return SQL(
            """
            ro.id AS id,
            ro.id AS repair_id,
            ro.name AS name,
            ro.aftersales_request_id AS request_id,
            ro.company_id AS company_id,
            ro.partner_id AS partner_id,
            partner.state_id AS region_id,
            partner.country_id AS country_id,
            ro.technician_id AS technician_id,
            ro.service_centre_id AS service_centre_id,
            ro.service_type_id AS service_type_id,
            ro.order_type_id AS order_type_id,
            ro.service_priority_id AS priority_id,
            ro.product_id AS product_id,
            tmpl.categ_id AS product_categ_id,
            ro.lot_id AS lot_id,
            ro.under_warranty AS under_warranty,
            ro.failure_mode_id AS failure_mode_id,
            ro.failure_cause_id AS failure_cause_id,
            ro.state AS state,
            ro.aftersales_unit_status AS unit_status,
            ro.aftersales_date_received AS date_received,
            ro.schedule_date AS schedule_date,
            ro.date_assigned AS date_assigned,
            COALESCE(ro.date_accepted, ro.date_started) AS date_first_response,
            ro.date_finished AS date_finished,
            1 AS order_count,
            CASE WHEN ro.state IN ('draft', 'confirmed', 'under_repair') THEN 1 ELSE 0 END AS open_count,
            CASE WHEN ro.state = 'done' THEN 1 ELSE 0 END AS done_count,
            EXTRACT(EPOCH FROM ro.date_finished - ro.aftersales_date_received) / 3600.0 AS waiting_hours,
            EXTRACT(EPOCH FROM COALESCE(ro.date_accepted, ro.date_started) - ro.aftersales_date_received) / 3600.0
                AS response_hours,
            ro.aftersales_worked_hours AS worked_hours,
            ro.aftersales_visit_count AS worklog_count,
            CASE
                WHEN ro.state = 'done' AND ro.aftersales_visit_count <= 1 AND NOT ro.aftersales_repeat_order THEN 1
                ELSE 0
            END AS ftf_count,
            CASE
                WHEN ro.state <> 'done' THEN NULL
                WHEN ro.aftersales_visit_count <= 1 AND NOT ro.aftersales_repeat_order THEN 100.0
                ELSE 0.0
            END AS ftf_rate,
            ro.sla_policy_id AS sla_policy_id,
            ro.sla_status AS sla_status,
            ro.sla_resolution_deadline AS sla_resolution_deadline,
            CASE WHEN ro.sla_status = 'met' THEN 1 ELSE 0 END AS sla_met_count,
            CASE WHEN ro.sla_status = 'breached' THEN 1 ELSE 0 END AS sla_breached_count,
            CASE WHEN ro.sla_status = 'at_risk' THEN 1 ELSE 0 END AS sla_at_risk_count,
            CASE ro.sla_status WHEN 'met' THEN 100.0 WHEN 'breached' THEN 0.0 END AS sla_compliance,
            CASE WHEN ro.aftersales_rating_count > 0 THEN ro.aftersales_rating END AS rating,
            ro.aftersales_rating_count AS rating_count,
            CASE WHEN ro.aftersales_rework THEN 1 ELSE 0 END AS rework_count,
            CASE WHEN ro.aftersales_visit_count > 0 THEN (CASE WHEN ro.aftersales_rework THEN 100.0 ELSE 0.0 END) END
                AS rework_rate
            """
        )

    def _from(self):
        # The per-order facts are stored on the order (models/repair_order.py): no aggregate at read
        # time. Left joins on a unique key are skipped by PostgreSQL when the read uses none of their
        # columns; orders without a customer are left out in the WHERE clause, as an inner join would.
        return SQL(
            """
            repair_order ro
            LEFT JOIN res_partner partner ON partner.id = ro.partner_id
            LEFT JOIN product_product prod ON prod.id = ro.product_id
            LEFT JOIN product_template tmpl ON tmpl.id = prod.product_tmpl_id
            """
        )

    def _where(self):
        return SQL("ro.is_aftersales AND ro.partner_id IS NOT NULL")

    def _query(self):
        return SQL("SELECT %s FROM %s WHERE %s", self._select(), self._from(), self._where())

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query()))
        # the orders of a product whose category changes (trigger below)
        tools.create_index(
            self.env.cr, "repair_order_aftersales_product_idx", "repair_order", ["product_id"], where="is_aftersales"
        )
        self._rollup_init()

    def _rollup_triggers(self):
        order = self._rollup_month("ro", "aftersales_date_received")
        return {
            # orders written: their months before and after the change
            **self._rollup_source_triggers(ORDER_COLUMNS, "{0}.is_aftersales"),
            # the region and country of the customer, the category of the product, are read at each read
            ("res_partner", "UPDATE"): f"""
                SELECT {order}
                  FROM rollup_new n JOIN rollup_old o ON o.id = n.id
                  JOIN repair_order ro ON ro.partner_id = n.id AND ro.is_aftersales
                 WHERE (n.state_id, n.country_id) IS DISTINCT FROM (o.state_id, o.country_id)""",
            ("product_template", "UPDATE"): f"""
                SELECT {order}
                  FROM rollup_new n JOIN rollup_old o ON o.id = n.id
                  JOIN product_product pp ON pp.product_tmpl_id = n.id
                  JOIN repair_order ro ON ro.product_id = pp.id AND ro.is_aftersales
                 WHERE n.categ_id IS DISTINCT FROM o.categ_id""",
        }
