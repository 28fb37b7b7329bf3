import logging
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models, tools
from odoo.tools import SQL
from odoo.tools.sql import column_exists

_logger = logging.getLogger(__name__)

# A service order is a first-time fix when it was closed after a single visit (one worklog) and no
# new after-sales order was opened on the same serial within this many days.
FTF_WINDOW_DAYS = 30
# states of a part move that is still to come (the order waits for it)
WAITING_MOVE_STATES = ("confirmed", "waiting", "partially_available")

UNIT_STATUS = [
    ("received", "Received"),
    ("waiting_parts", "Waiting for Parts"),
    ("in_repair", "In Repair"),
    ("qc", "Quality Control"),
    ("ready", "Ready for Pick-up"),
    ("delivered", "Delivered"),
    ("cancelled", "Cancelled"),
]

# stored facts and their SQL types, for the columns created and filled before the ORM sees them
REPORT_FACT_COLUMNS = {
    "aftersales_date_received": "timestamp",
    "aftersales_unit_status": "varchar",
    "aftersales_visit_count": "int4",
    "aftersales_worked_hours": "float8",
    "aftersales_rework": "bool",
    "aftersales_worklog_to_approve": "bool",
    "aftersales_waiting_parts": "bool",
    "aftersales_rating": "float8",
    "aftersales_rating_count": "int4",
    "aftersales_repeat_order": "bool",
}


class RepairOrder(models.Model):
    """Facts of a service order that the reports aggregate (visits, time spent, rework, approval
    pending, parts waiting, rating, repeat order on the serial), stored on the order and kept up to
    date by the ORM, so that a report over millions of orders is a plain grouped scan."""

    _inherit = "repair.order"  # pylint: disable=consider-merging-classes-inherited

    aftersales_date_received = fields.Datetime(
        string="Received On",
        compute="_compute_aftersales_date_received",
        store=True,
        help="Reception of the service request, or the creation of the order when it has no request.",
    )
    aftersales_unit_status = fields.Selection(
        UNIT_STATUS,
        string="Product Status",
        compute="_compute_aftersales_unit_status",
        store=True,
        help="Where the customer's product stands: received at reception, waiting for parts, in repair, "
        "waiting for the approval of its worklog (quality control), repaired and ready for pick-up while "
        "other units of its request are still in service, delivered (request closed), or cancelled.",
    )
    aftersales_visit_count = fields.Integer(
        string="Visits",
        compute="_compute_aftersales_worklog_facts",
        store=True,
        help="Submitted worklogs of the order (waiting for approval, approved or rejected).",
    )
    aftersales_worked_hours = fields.Float(
        string="Time Spent (h)",
        compute="_compute_aftersales_worklog_facts",
        store=True,
        help="Hours recorded on the submitted worklogs of the order.",
    )
    aftersales_rework = fields.Boolean(
        string="Reworked",
        compute="_compute_aftersales_worklog_facts",
        store=True,
        help="A worklog of the order was rejected: the work had to be done again.",
    )
    aftersales_worklog_to_approve = fields.Boolean(
        string="Worklog to Approve",
        compute="_compute_aftersales_worklog_facts",
        store=True,
        help="A submitted worklog of the order waits for approval (quality control).",
    )
    aftersales_waiting_parts = fields.Boolean(
        string="Waiting for Parts",
        compute="_compute_aftersales_waiting_parts",
        store=True,
        help="A part to consume on the order is not available yet.",
    )
    aftersales_rating = fields.Float(
        string="Customer Satisfaction",
        compute="_compute_aftersales_rating",
        store=True,
        aggregator="avg",
        help="Average of the ratings (1 to 5) the customer gave the order; 0 when not rated.",
    )
    aftersales_rating_count = fields.Integer(
        string="Customer Ratings",
        compute="_compute_aftersales_rating",
        store=True,
        help="Ratings the customer gave the order.",
    )
    aftersales_repeat_order = fields.Boolean(
        string="Repeat Order",
        compute="_compute_aftersales_repeat_order",
        store=True,
        help="A new after-sales order was opened on the same serial within 30 days after this order "
        "was finished: it is not a first-time fix.",
    )

    # ------------------------------------------------------------ schema
    def _auto_init(self):
        """Create the fact columns before the ORM does, so that it does not compute them order by order,
        and fill them with one SQL statement once every table is set up: a database with millions of
        orders updates in minutes."""
        cr = self.env.cr
        missing = [name for name in REPORT_FACT_COLUMNS if not column_exists(cr, self._table, name)]
        for name in missing:
            cr.execute(
                SQL(
                    "ALTER TABLE %s ADD COLUMN %s %s",
                    SQL.identifier(self._table),
                    SQL.identifier(name),
                    SQL(REPORT_FACT_COLUMNS[name]),
                )
            )
        res = super()._auto_init()
        if missing:
            self.pool.post_init(self._aftersales_refresh_report_facts)
        return res

    def init(self):
        # the repeat orders of a serial (first-time fix) and the parts still to come of an order
        tools.create_index(
            self.env.cr,
            "repair_order_aftersales_lot_create_idx",
            "repair_order",
            ["lot_id", "create_date"],
            where="is_aftersales AND lot_id IS NOT NULL",
        )
        tools.create_index(
            self.env.cr,
            "stock_move_repair_add_open_idx",
            "stock_move",
            ["repair_id"],
            where="repair_id IS NOT NULL AND repair_line_type = 'add'",
        )
        return super().init()

    # ------------------------------------------------------------ computes
    @api.depends("aftersales_request_id.date_received")
    def _compute_aftersales_date_received(self):
        for order in self:
            order.aftersales_date_received = order.aftersales_request_id.date_received or order.create_date

    @api.depends(
        "state",
        "aftersales_request_id.state",
        "aftersales_worklog_to_approve",
        "aftersales_waiting_parts",
        "aftersales_visit_count",
    )
    def _compute_aftersales_unit_status(self):
        for order in self:
            request = order.aftersales_request_id
            if order.state == "cancel":
                status = "cancelled"
            elif order.state == "done":
                status = "ready" if request and request.state not in ("done", "cancelled") else "delivered"
            elif order.aftersales_worklog_to_approve:
                status = "qc"
            elif order.aftersales_waiting_parts:
                status = "waiting_parts"
            elif order.state == "under_repair" or order.aftersales_visit_count:
                status = "in_repair"
            else:
                status = "received"
            order.aftersales_unit_status = status

    @api.depends("aftersales_worklog_ids.state", "aftersales_worklog_ids.duration_hours")
    def _compute_aftersales_worklog_facts(self):
        for order in self:
            worklogs = order.aftersales_worklog_ids.filtered(lambda worklog: worklog.state != "draft")
            states = set(worklogs.mapped("state"))
            order.aftersales_visit_count = len(worklogs)
            order.aftersales_worked_hours = sum(worklogs.mapped("duration_hours"))
            order.aftersales_rework = "rejected" in states
            order.aftersales_worklog_to_approve = "submitted" in states

    @api.depends("move_ids.state", "move_ids.repair_line_type")
    def _compute_aftersales_waiting_parts(self):
        for order in self:
            order.aftersales_waiting_parts = any(
                move.repair_line_type == "add" and move.state in WAITING_MOVE_STATES for move in order.move_ids
            )

    @api.depends("rating_ids.rating", "rating_ids.consumed")
    def _compute_aftersales_rating(self):
        groups = self.env["rating.rating"]._read_group(
            [("res_model", "=", self._name), ("res_id", "in", self.ids), ("consumed", "=", True), ("rating", ">", 0)],
            ["res_id"],
            ["rating:avg", "__count"],
        )
        ratings = {res_id: (average, count) for res_id, average, count in groups}
        for order in self:
            order.aftersales_rating, order.aftersales_rating_count = ratings.get(order._origin.id, (0.0, 0))

    @api.depends("is_aftersales", "state", "date_finished", "lot_id")
    def _compute_aftersales_repeat_order(self):
        """Done after-sales orders with a later after-sales order on their serial, created within the window
        after their end. Orders created, moved to another serial or deleted mark the earlier orders of their
        serials for recomputation (``_aftersales_mark_earlier_orders``)."""
        finished = self.filtered(
            lambda order: order.is_aftersales and order.state == "done" and order.lot_id and order.date_finished
        )
        (self - finished).aftersales_repeat_order = False
        if not finished:
            return
        window = timedelta(days=FTF_WINDOW_DAYS)
        later = self.sudo().search_fetch(
            [
                ("lot_id", "in", finished.lot_id.ids),
                ("is_aftersales", "=", True),
                ("create_date", ">", min(finished.mapped("date_finished"))),
                ("create_date", "<=", max(finished.mapped("date_finished")) + window),
            ],
            ["lot_id", "create_date"],
        )
        created_by_lot = defaultdict(list)
        for order in later:
            created_by_lot[order.lot_id.id].append((order.id, order.create_date))
        for order in finished:
            start, end = order.date_finished, order.date_finished + window
            order.aftersales_repeat_order = any(
                other_id != order._origin.id and start < created <= end
                for other_id, created in created_by_lot[order.lot_id.id]
            )

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        orders._aftersales_mark_earlier_orders()
        return orders

    def write(self, vals):
        serial_change = "lot_id" in vals or "is_aftersales" in vals
        if serial_change:
            self._aftersales_mark_earlier_orders()
        res = super().write(vals)
        if serial_change:
            self._aftersales_mark_earlier_orders()
        return res

    def unlink(self):
        earlier = self._aftersales_get_earlier_orders() - self
        res = super().unlink()
        self.env.add_to_compute(self._fields["aftersales_repeat_order"], earlier)
        return res

    # ------------------------------------------------------------ business
    def _aftersales_get_earlier_orders(self):
        """Done after-sales orders on the serials of ``self`` that finished within the first-time-fix window
        before one of ``self`` was created: whether they are repeated depends on ``self``."""
        orders = self.filtered("lot_id")
        if not orders:
            return self.browse()
        created = orders.mapped("create_date")
        return self.sudo().search(
            [
                ("lot_id", "in", orders.lot_id.ids),
                ("is_aftersales", "=", True),
                ("state", "=", "done"),
                ("date_finished", ">=", min(created) - timedelta(days=FTF_WINDOW_DAYS)),
                ("date_finished", "<", max(created)),
            ]
        )

    def _aftersales_mark_earlier_orders(self):
        self.env.add_to_compute(self._fields["aftersales_repeat_order"], self._aftersales_get_earlier_orders())

    @api.model
    def _aftersales_refresh_report_facts(self, order_ids=None):
        """Compute the stored report facts in SQL, in one statement for every order (or for the orders
        ``order_ids`` and the other orders on their serials), writing only the rows that change; the
        same rules as the computes above. Returns the number of orders changed.

        This fills the facts when the addon is installed or upgraded on a large database; the ORM keeps
        them up to date afterwards. Call it again after writing worklogs, part moves, ratings or orders
        with SQL, which bypasses the ORM.
        """
        self.env.flush_all()
        scope = SQL("TRUE")
        if order_ids is not None:
            if not order_ids:
                return 0
            scope = SQL(
                "(o.id = ANY(%(ids)s) OR o.lot_id IN (SELECT lot_id FROM repair_order WHERE id = ANY(%(ids)s)))",
                ids=list(order_ids),
            )
        self.env.cr.execute(
            SQL(
                """
                UPDATE repair_order ro
                   SET aftersales_date_received = f.date_received,
                       aftersales_unit_status = f.unit_status,
                       aftersales_visit_count = f.visit_count,
                       aftersales_worked_hours = f.worked_hours,
                       aftersales_rework = f.rework,
                       aftersales_worklog_to_approve = f.to_approve,
                       aftersales_waiting_parts = f.waiting_parts,
                       aftersales_rating = f.rating,
                       aftersales_rating_count = f.rating_count,
                       aftersales_repeat_order = f.repeat_order
                  FROM (
                      SELECT o.id,
                             COALESCE(req.date_received, o.create_date) AS date_received,
                             CASE
                                 WHEN o.state = 'cancel' THEN 'cancelled'
                                 WHEN o.state = 'done' AND req.state NOT IN ('done', 'cancelled') THEN 'ready'
                                 WHEN o.state = 'done' THEN 'delivered'
                                 WHEN COALESCE(wl.to_approve, false) THEN 'qc'
                                 WHEN parts.repair_id IS NOT NULL THEN 'waiting_parts'
                                 WHEN o.state = 'under_repair' OR wl.visit_count > 0 THEN 'in_repair'
                                 ELSE 'received'
                             END AS unit_status,
                             COALESCE(wl.visit_count, 0) AS visit_count,
                             COALESCE(wl.worked_hours, 0.0) AS worked_hours,
                             COALESCE(wl.rework, false) AS rework,
                             COALESCE(wl.to_approve, false) AS to_approve,
                             parts.repair_id IS NOT NULL AS waiting_parts,
                             COALESCE(rt.rating, 0.0) AS rating,
                             COALESCE(rt.rating_count, 0) AS rating_count,
                             (o.is_aftersales IS TRUE AND o.state = 'done' AND o.date_finished IS NOT NULL AND EXISTS (
                                 SELECT 1
                                   FROM repair_order nxt
                                  WHERE nxt.lot_id = o.lot_id
                                    AND nxt.is_aftersales
                                    AND nxt.id <> o.id
                                    AND nxt.create_date > o.date_finished
                                    AND nxt.create_date <= o.date_finished + %(window)s * INTERVAL '1 day'
                             )) AS repeat_order
                        FROM repair_order o
                        LEFT JOIN aftersales_request req ON req.id = o.aftersales_request_id
                        LEFT JOIN (
                            SELECT w.repair_id,
                                   COUNT(*) AS visit_count,
                                   SUM(w.duration_hours) AS worked_hours,
                                   BOOL_OR(w.state = 'rejected') AS rework,
                                   BOOL_OR(w.state = 'submitted') AS to_approve
                              FROM aftersales_worklog w
                             WHERE w.state <> 'draft'
                          GROUP BY w.repair_id
                        ) wl ON wl.repair_id = o.id
                        LEFT JOIN (
                            SELECT DISTINCT m.repair_id
                              FROM stock_move m
                             WHERE m.repair_id IS NOT NULL
                               AND m.repair_line_type = 'add'
                               AND m.state IN %(waiting)s
                        ) parts ON parts.repair_id = o.id
                        LEFT JOIN (
                            SELECT r.res_id, AVG(r.rating) AS rating, COUNT(*) AS rating_count
                              FROM rating_rating r
                             WHERE r.res_model = 'repair.order'
                               AND r.consumed
                               AND r.rating > 0
                          GROUP BY r.res_id
                        ) rt ON rt.res_id = o.id
                       WHERE %(scope)s
                  ) f
                 WHERE ro.id = f.id
                   AND (ro.aftersales_date_received, ro.aftersales_unit_status, ro.aftersales_visit_count,
                        ro.aftersales_worked_hours, ro.aftersales_rework, ro.aftersales_worklog_to_approve,
                        ro.aftersales_waiting_parts, ro.aftersales_rating, ro.aftersales_rating_count,
                        ro.aftersales_repeat_order)
                       IS DISTINCT FROM
                       (f.date_received, f.unit_status, f.visit_count, f.worked_hours, f.rework, f.to_approve,
                        f.waiting_parts, f.rating, f.rating_count, f.repeat_order)
                """,
                window=FTF_WINDOW_DAYS,
                waiting=WAITING_MOVE_STATES,
                scope=scope,
            )
        )
        changed = self.env.cr.rowcount
        self.invalidate_model(list(REPORT_FACT_COLUMNS))
        _logger.info("after-sales report facts refreshed: %s service orders changed", changed)
        return changed
