from odoo import fields, models, tools
from odoo.tools import SQL

# Columns of aftersales_worklog the report reads.
WORKLOG_COLUMNS = (
    "name", "repair_id", "company_id", "technician_id", "partner_id", "state", "date_start", "date_end",
    "duration_hours",
)  # fmt: skip


class AftersalesWorklogReportDuration(models.Model):
    _name = "aftersales.worklog.report.duration"
    _inherit = ["aftersales.report.rollup.mixin"]
    _description = "After-Sales Service Duration Analysis"
    _auto = False
    _rollup_source = ("aftersales_worklog", "date_start")
    _rollup_partition = "date_start"
    _rec_name = "name"
    _order = "date_start desc, id desc"

    name = fields.Char(string="Worklog", readonly=True)
    worklog_id = fields.Many2one("aftersales.worklog", string="Worklog Record", readonly=True)
    repair_id = fields.Many2one("repair.order", string="Service Order", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    technician_id = fields.Many2one("hr.employee", readonly=True)
    service_centre_id = fields.Many2one("aftersales.service.centre", readonly=True)
    service_type_id = fields.Many2one("aftersales.service.type", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    product_categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    region_id = fields.Many2one("res.country.state", readonly=True)
    state = fields.Selection(
        [("submitted", "Submitted"), ("approved", "Approved"), ("rejected", "Rejected")],
        string="Worklog Status",
        readonly=True,
    )
    date_start = fields.Datetime(string="Started On", readonly=True)
    date_end = fields.Datetime(string="Ended On", readonly=True)
    worklog_count = fields.Integer(string="Worklogs", readonly=True)
    duration_hours = fields.Float(string="Time Spent (h)", readonly=True)
    avg_duration_hours = fields.Float(
        string="Average Time per Worklog (h)",
        readonly=True,
        aggregator="avg",
        help="Same figure as the time spent, averaged over the worklogs of the group.",
    )

    def _query(self):
        return SQL(
            """
            SELECT w.id AS id,
                   w.id AS worklog_id,
                   w.name AS name,
                   w.repair_id AS repair_id,
                   w.company_id AS company_id,
                   w.technician_id AS technician_id,
                   ro.service_centre_id AS service_centre_id,
                   ro.service_type_id AS service_type_id,
                   ro.product_id AS product_id,
                   tmpl.categ_id AS product_categ_id,
                   partner.state_id AS region_id,
                   w.state AS state,
                   w.date_start AS date_start,
                   w.date_end AS date_end,
                   1 AS worklog_count,
                   COALESCE(w.duration_hours, 0.0) AS duration_hours,
                   COALESCE(w.duration_hours, 0.0) AS avg_duration_hours
              FROM aftersales_worklog w
              -- skipped by PostgreSQL when the read groups by none of their columns
              LEFT JOIN repair_order ro ON ro.id = w.repair_id
              LEFT JOIN res_partner partner ON partner.id = w.partner_id
              LEFT JOIN product_product prod ON prod.id = ro.product_id
              LEFT JOIN product_template tmpl ON tmpl.id = prod.product_tmpl_id
             -- worklogs of orders with a customer (the worklog's stored customer is the order's)
             WHERE w.state <> 'draft'
               AND w.partner_id IS NOT NULL
            """
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query()))
        # the worklogs of a customer whose province changes (trigger below)
        tools.create_index(
            self.env.cr,
            "aftersales_worklog_partner_idx",
            "aftersales_worklog",
            ["partner_id"],
            where="partner_id IS NOT NULL",
        )
        self._rollup_init()

    def _rollup_triggers(self):
        worklog = self._rollup_month("w", "date_start")
        counted = "{0}.state <> 'draft' AND {0}.partner_id IS NOT NULL"
        return {
            **self._rollup_source_triggers(WORKLOG_COLUMNS, counted),
            # the order's centre, service type and product, the customer's province, the product's category
            ("repair_order", "UPDATE"): f"""
                SELECT {worklog}
                  FROM rollup_new n JOIN rollup_old o ON o.id = n.id
                  JOIN aftersales_worklog w ON w.repair_id = n.id AND {counted.format("w")}
                 WHERE (n.service_centre_id, n.service_type_id, n.product_id)
                       IS DISTINCT FROM (o.service_centre_id, o.service_type_id, o.product_id)""",
            ("res_partner", "UPDATE"): f"""
                SELECT {worklog}
                  FROM rollup_new n JOIN rollup_old o ON o.id = n.id
                  JOIN aftersales_worklog w ON w.partner_id = n.id AND w.state <> 'draft'
                 WHERE n.state_id IS DISTINCT FROM o.state_id""",
            ("product_template", "UPDATE"): f"""
                SELECT {worklog}
                  FROM rollup_new n JOIN rollup_old o ON o.id = n.id
                  JOIN product_product pp ON pp.product_tmpl_id = n.id
                  JOIN repair_order ro ON ro.product_id = pp.id AND ro.is_aftersales
                  JOIN aftersales_worklog w ON w.repair_id = ro.id AND {counted.format("w")}
                 WHERE n.categ_id IS DISTINCT FROM o.categ_id""",
        }
