from odoo import fields, models, tools
from odoo.tools import SQL

# Columns of stock_move the report reads.
MOVE_COLUMNS = (
    "repair_id", "company_id", "date", "product_id", "repair_line_type", "quantity", "product_uom", "state",
    "aftersales_customer_id",
)  # fmt: skip


class StockMoveReportAftersalesParts(models.Model):
    _name = "stock.move.report.aftersales.parts"
    _inherit = ["aftersales.report.rollup.mixin"]
    _description = "After-Sales Parts Consumption Analysis"
    _auto = False
    _rollup_source = ("stock_move", "date")
    _rollup_partition = "date"
    _order = "date desc, id desc"

    move_id = fields.Many2one("stock.move", string="Stock Move", readonly=True)
    repair_id = fields.Many2one("repair.order", string="Service Order", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    date = fields.Datetime(readonly=True)
    part_id = fields.Many2one("product.product", readonly=True)
    part_categ_id = fields.Many2one("product.category", string="Part Category", readonly=True)
    product_id = fields.Many2one("product.product", string="Serviced Product", readonly=True)
    technician_id = fields.Many2one("hr.employee", readonly=True)
    service_centre_id = fields.Many2one("aftersales.service.centre", readonly=True)
    service_type_id = fields.Many2one("aftersales.service.type", readonly=True)
    region_id = fields.Many2one("res.country.state", readonly=True)
    under_warranty = fields.Boolean(readonly=True)
    line_type = fields.Selection(
        [("add", "Consumed"), ("remove", "Removed"), ("recycle", "Recycled")],
        string="Part Operation",
        readonly=True,
    )
    quantity = fields.Float(readonly=True, help="Done quantity in the part's unit of measure.")
    move_count = fields.Integer(string="Part Lines", readonly=True)
    cost = fields.Float(
        readonly=True,
        groups="aftersales_warranty.group_aftersales_manager",
        help="Quantity times the part's current cost in the order's company.",
    )

    def _query(self):
        return SQL(
            """
            SELECT m.id AS id,
                   m.id AS move_id,
                   m.repair_id AS repair_id,
                   m.company_id AS company_id,
                   m.date AS date,
                   m.product_id AS part_id,
                   part_tmpl.categ_id AS part_categ_id,
                   ro.product_id AS product_id,
                   ro.technician_id AS technician_id,
                   ro.service_centre_id AS service_centre_id,
                   ro.service_type_id AS service_type_id,
                   partner.state_id AS region_id,
                   ro.under_warranty AS under_warranty,
                   m.repair_line_type AS line_type,
                   m.quantity / move_uom.factor * part_uom.factor AS quantity,
                   1 AS move_count,
                   m.quantity / move_uom.factor * part_uom.factor
                       * COALESCE((part.standard_price ->> m.company_id::text)::numeric, 0.0) AS cost
              FROM stock_move m
              JOIN product_product part ON part.id = m.product_id
              JOIN product_template part_tmpl ON part_tmpl.id = part.product_tmpl_id
              JOIN uom_uom move_uom ON move_uom.id = m.product_uom
              JOIN uom_uom part_uom ON part_uom.id = part_tmpl.uom_id
              -- skipped by PostgreSQL when the read groups by none of their columns
              LEFT JOIN repair_order ro ON ro.id = m.repair_id
              LEFT JOIN res_partner partner ON partner.id = m.aftersales_customer_id
             -- done part lines of after-sales orders with a customer (stock_move.aftersales_customer_id)
             WHERE m.aftersales_customer_id IS NOT NULL
               AND m.state = 'done'
            """
        )

    def init(self):
        tools.create_index(
            self.env.cr,
            "stock_move_repair_done_idx",
            "stock_move",
            ["repair_id", "product_id", "date"],
            where="repair_id IS NOT NULL AND state = 'done'",
        )
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query()))
        # the part lines of a customer whose province changes (trigger below)
        tools.create_index(
            self.env.cr,
            "stock_move_aftersales_customer_idx",
            "stock_move",
            ["aftersales_customer_id"],
            where="aftersales_customer_id IS NOT NULL",
        )
        self._rollup_init()

    def _rollup_triggers(self):
        move = self._rollup_month("m", "date")
        counted = "{0}.aftersales_customer_id IS NOT NULL AND {0}.state = 'done'"

        def moves_of_products(product_join, changed):
            return f"""
                SELECT {move}
                  FROM rollup_new n JOIN rollup_old o ON o.id = n.id
                  JOIN product_product pp ON {product_join}
                  JOIN stock_move m ON m.product_id = pp.id AND {counted.format("m")}
                 WHERE {changed}"""

        return {
            **self._rollup_source_triggers(MOVE_COLUMNS, counted),
            # the order's product, technician, centre, type and warranty; the customer's province; the part's
            # category, unit and cost; a unit's factor
            ("repair_order", "UPDATE"): f"""
                SELECT {move}
                  FROM rollup_new n JOIN rollup_old o ON o.id = n.id
                  JOIN stock_move m ON m.repair_id = n.id AND {counted.format("m")}
                 WHERE (n.product_id, n.technician_id, n.service_centre_id, n.service_type_id, n.under_warranty)
                       IS DISTINCT FROM
                       (o.product_id, o.technician_id, o.service_centre_id, o.service_type_id, o.under_warranty)""",
            ("res_partner", "UPDATE"): f"""
                SELECT {move}
                  FROM rollup_new n JOIN rollup_old o ON o.id = n.id
                  JOIN stock_move m ON m.aftersales_customer_id = n.id AND m.state = 'done'
                 WHERE n.state_id IS DISTINCT FROM o.state_id""",
            ("product_template", "UPDATE"): moves_of_products(
                "pp.product_tmpl_id = n.id", "(n.categ_id, n.uom_id) IS DISTINCT FROM (o.categ_id, o.uom_id)"
            ),
            ("product_product", "UPDATE"): moves_of_products(
                "pp.id = n.id", "n.standard_price IS DISTINCT FROM o.standard_price"
            ),
            ("uom_uom", "UPDATE"): f"""
                SELECT {move}
                  FROM rollup_new n JOIN rollup_old o ON o.id = n.id
                  JOIN stock_move m ON m.product_uom = n.id AND {counted.format("m")}
                 WHERE n.factor IS DISTINCT FROM o.factor
                UNION ALL
                SELECT {move}
                  FROM rollup_new n JOIN rollup_old o ON o.id = n.id
                  JOIN product_template pt ON pt.uom_id = n.id
                  JOIN product_product pp ON pp.product_tmpl_id = pt.id
                  JOIN stock_move m ON m.product_id = pp.id AND {counted.format("m")}
                 WHERE n.factor IS DISTINCT FROM o.factor""",
        }
