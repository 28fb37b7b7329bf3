"""Service orders of the after-sales suite: native repair orders (``repair.order``) with their
reception, technician, workflow stamps, SLA, worklogs, parts on the native ledgers, consignment, scrap
and invoicing, and the facts the reports aggregate.

Sections as OCA's ``rma.py``: fields, schema, computes, onchange, CRUD, actions, business methods.
"""

import logging
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, float_compare, float_is_zero
from odoo.tools.sql import column_exists

from odoo.addons.aftersales_warranty.tools import normalize_code, reader_direction
from odoo.addons.web_jalali.tools import format_reader_date

from ..tools.protected_fields import MANAGER_GROUP, check_protected_fields
from ..tools.public_api import DISPATCHER_GROUP, api_datetime
from .aftersales_sla_policy import SLA_STATUSES

_logger = logging.getLogger(__name__)

# Warranty fields: protected on after-sales orders only (Odoo's own repairs keep editing ``under_warranty``).
WARRANTY_FIELDS = ("warranty_id", "under_warranty")
# states of a service order still to be worked on (dispatch, SLA clock, technicians' load)
OPEN_STATES = ("draft", "confirmed", "under_repair")
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
    """A service order: the reception unit it comes from, the technician and the workflow stamps, the
    SLA clock, the worklogs, parts, consignment, scrap and invoicing, and the facts of the order that
    the reports aggregate (visits, time spent, rework, approval pending, parts waiting, rating, repeat
    order on the serial), stored on the order and kept up to date by the ORM, so that a report over
    millions of orders is a plain grouped scan."""

    _inherit = ["rating.mixin", "repair.order"]
    _name = "repair.order"

    # ------------------------------------------------------------ fields

    aftersales_request_line_id = fields.Many2one(
        "aftersales.request.line",
        string="Request Unit",
        index="btree_not_null",
        copy=False,
        readonly=True,
        ondelete="set null",
    )
    reported_failure_description = fields.Text(
        related="aftersales_request_line_id.failure_description",
        string="Reported Failure",
        help="What the customer reported at reception.",
    )
    aftersales_request_id = fields.Many2one(
        "aftersales.request",
        related="aftersales_request_line_id.request_id",
        store=True,
        index="btree_not_null",
        string="Service Request",
    )
    is_aftersales = fields.Boolean(
        string="After-Sales Order",
        index=True,
        copy=True,
        help="Service order of the after-sales suite (from a request, a sale or created in the After-Sales app).",
    )
    technician_id = fields.Many2one(
        "hr.employee",
        tracking=True,
        index=True,
        copy=False,
        check_company=True,
        domain="[('is_technician', '=', True)]",
        group_expand="_group_expand_technicians",
    )
    technician_user_id = fields.Many2one(
        "res.users",
        related="technician_id.user_id",
        store=True,
        index="btree_not_null",
        string="Technician User",
    )
    service_type_id = fields.Many2one("aftersales.service.type", tracking=True, index=True)
    order_type_id = fields.Many2one("aftersales.order.type", tracking=True, index=True)
    service_priority_id = fields.Many2one("aftersales.priority", tracking=True, index="btree_not_null")
    service_centre_id = fields.Many2one(
        "aftersales.service.centre",
        tracking=True,
        index=True,
        check_company=True,
    )
    warranty_id = fields.Many2one("aftersales.warranty", index="btree_not_null", tracking=True)
    failure_cause_id = fields.Many2one("aftersales.failure.cause", tracking=True)
    failure_agent_id = fields.Many2one("aftersales.failure.agent", tracking=True)
    failure_mode_id = fields.Many2one(
        "aftersales.failure.mode",
        tracking=True,
        help="The failure mode found by the technician (pre-filled with the one reported at reception).",
    )
    date_assigned = fields.Datetime(string="Assigned On", copy=False, readonly=True, tracking=True)
    date_accepted = fields.Datetime(string="Accepted On", copy=False, readonly=True, tracking=True)
    date_started = fields.Datetime(string="Started On", copy=False, readonly=True, tracking=True)
    date_finished = fields.Datetime(string="Finished On", copy=False, readonly=True, tracking=True)
    start_latitude = fields.Float(digits=(10, 7), copy=False, readonly=True)
    start_longitude = fields.Float(digits=(10, 7), copy=False, readonly=True)
    finish_latitude = fields.Float(digits=(10, 7), copy=False, readonly=True)
    finish_longitude = fields.Float(digits=(10, 7), copy=False, readonly=True)
    aftersales_customer_tier = fields.Selection(
        [("standard", "Standard"), ("vip", "VIP")],
        string="Customer Tier",
        compute="_compute_aftersales_customer_tier",
        store=True,
        index=True,
    )
    sla_policy_id = fields.Many2one(
        "aftersales.sla.policy",
        string="SLA Policy",
        compute="_compute_sla_policy_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        tracking=True,
    )
    sla_start_date = fields.Datetime(
        string="SLA Start", default=fields.Datetime.now, copy=False, help="Receipt of the order: the SLA clock starts."
    )
    waiting_reason = fields.Selection(
        [("parts", "Waiting for Parts"), ("customer", "Waiting for Customer")],
        copy=False,
        tracking=True,
        help="While set, the SLA clock is paused; the paused working hours are added to the deadlines on resume.",
    )
    sla_paused = fields.Boolean(compute="_compute_sla_paused", store=True, string="SLA Paused")
    sla_pause_ids = fields.One2many("aftersales.sla.pause", "order_id", string="SLA Pauses", readonly=True)
    sla_paused_hours = fields.Float(
        compute="_compute_sla_paused_hours", store=True, string="Paused Hours", help="Working hours paused so far."
    )
    sla_response_deadline = fields.Datetime(
        compute="_compute_sla_deadlines", store=True, index="btree_not_null", string="Response Deadline"
    )
    sla_resolution_deadline = fields.Datetime(
        compute="_compute_sla_deadlines", store=True, index="btree_not_null", string="Resolution Deadline"
    )
    sla_status = fields.Selection(
        SLA_STATUSES,
        string="SLA Status",
        copy=False,
        index=True,
        readonly=True,
        help="Refreshed on every change of the order and by the SLA scheduled action. At risk: the share of "
        "the allowed time set in the settings is used.",
    )
    sla_escalation_level = fields.Integer(
        copy=False, readonly=True, help="0: none, 1: at-risk escalation done, 2: breach escalation done."
    )
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
    aftersales_worklog_ids = fields.One2many("aftersales.worklog", "repair_id", string="Worklogs")
    aftersales_worklog_count = fields.Integer(string="Worklog Count", compute="_compute_aftersales_worklog_stats")
    aftersales_labour_hours = fields.Float(
        string="Labour Hours",
        compute="_compute_aftersales_worklog_stats",
        help="Time spent on the approved worklogs of the order.",
    )
    aftersales_scrap_ids = fields.One2many("stock.scrap", "aftersales_repair_id", string="Scrap Receipts")
    aftersales_scrap_count = fields.Integer(string="Scrap Count", compute="_compute_aftersales_stock_counts")
    aftersales_consignment_picking_ids = fields.One2many(
        "stock.picking",
        "aftersales_repair_id",
        string="Consignment Transfers",
        domain=[("aftersales_consignment_type", "!=", False)],
    )
    aftersales_consignment_count = fields.Integer(
        string="Consignment Count", compute="_compute_aftersales_stock_counts"
    )
    aftersales_part_request_ids = fields.One2many("aftersales.part.request", "repair_id", string="Part Requests")
    aftersales_part_request_count = fields.Integer(
        string="Part Request Count", compute="_compute_aftersales_stock_counts"
    )
    aftersales_invoice_ids = fields.Many2many(
        "account.move", string="Invoices", compute="_compute_aftersales_invoice_ids"
    )
    aftersales_invoice_count = fields.Integer(string="Invoice Count", compute="_compute_aftersales_invoice_ids")

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

    @api.depends("partner_id.aftersales_tier", "partner_id.commercial_partner_id.aftersales_tier")
    def _compute_aftersales_customer_tier(self):
        for order in self:
            partner = order.partner_id
            tiers = {partner.aftersales_tier, partner.commercial_partner_id.aftersales_tier}
            order.aftersales_customer_tier = "vip" if "vip" in tiers else (partner and "standard") or False

    @api.depends(
        "service_type_id", "service_priority_id", "aftersales_customer_tier", "product_id.categ_id", "company_id"
    )
    def _compute_sla_policy_id(self):
        orders = self.filtered("is_aftersales")
        (self - orders).sla_policy_id = False
        if orders:
            policies = self.env["aftersales.sla.policy"].sudo()._match_orders(orders)
            for order in orders:
                order.sla_policy_id = policies[order.id]

    @api.depends("waiting_reason")
    def _compute_sla_paused(self):
        for order in self:
            order.sla_paused = bool(order.waiting_reason)

    @api.depends("sla_pause_ids.duration_hours")
    def _compute_sla_paused_hours(self):
        for order in self:
            order.sla_paused_hours = sum(order.sla_pause_ids.mapped("duration_hours"))

    @api.depends("sla_policy_id", "sla_start_date", "sla_pause_ids.duration_hours", "sla_pause_ids.before_response")
    def _compute_sla_deadlines(self):
        for order in self:
            policy = order.sla_policy_id
            if not policy or not order.sla_start_date:
                order.sla_response_deadline = order.sla_resolution_deadline = False
                continue
            closed = order.sla_pause_ids.filtered("date_end")
            before_response = closed.filtered("before_response")
            order.sla_response_deadline = policy._add_working_hours(
                order.sla_start_date, policy.response_hours + sum(before_response.mapped("duration_hours"))
            )
            order.sla_resolution_deadline = policy._add_working_hours(
                order.sla_start_date, policy.resolution_hours + sum(closed.mapped("duration_hours"))
            )

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

    def _compute_aftersales_worklog_stats(self):
        self.aftersales_worklog_count = 0
        self.aftersales_labour_hours = 0.0
        # users of the order without the after-sales groups (inventory, accounting) just see no worklog
        if not self.ids or not self.env["aftersales.worklog"].has_access("read"):
            return
        groups = self.env["aftersales.worklog"]._read_group(
            [("repair_id", "in", self.ids)], ["repair_id", "state"], ["__count", "duration_hours:sum"]
        )
        for repair, state, count, hours in groups:
            repair.aftersales_worklog_count += count
            if state == "approved":
                repair.aftersales_labour_hours += hours

    def _compute_aftersales_stock_counts(self):
        self.aftersales_scrap_count = 0
        self.aftersales_consignment_count = 0
        self.aftersales_part_request_count = 0
        if not self.ids:
            return
        scraps = pickings = part_requests = {}
        if self.env["stock.scrap"].has_access("read"):
            scraps = dict(
                self.env["stock.scrap"]._read_group(
                    [("aftersales_repair_id", "in", self.ids)], ["aftersales_repair_id"], ["__count"]
                )
            )
        if self.env["stock.picking"].has_access("read"):
            pickings = dict(
                self.env["stock.picking"]._read_group(
                    [("aftersales_repair_id", "in", self.ids), ("aftersales_consignment_type", "!=", False)],
                    ["aftersales_repair_id"],
                    ["__count"],
                )
            )
        if self.env["aftersales.part.request"].has_access("read"):
            part_requests = dict(
                self.env["aftersales.part.request"]._read_group(
                    [("repair_id", "in", self.ids)], ["repair_id"], ["__count"]
                )
            )
        for repair in self:
            repair.aftersales_scrap_count = scraps.get(repair, 0)
            repair.aftersales_consignment_count = pickings.get(repair, 0)
            repair.aftersales_part_request_count = part_requests.get(repair, 0)

    @api.depends("sale_order_id.invoice_ids")
    def _compute_aftersales_invoice_ids(self):
        if not (self.env["sale.order"].has_access("read") and self.env["account.move"].has_access("read")):
            self.aftersales_invoice_ids = False
            self.aftersales_invoice_count = 0
            return
        for repair in self:
            invoices = repair.sale_order_id.invoice_ids
            repair.aftersales_invoice_ids = invoices
            repair.aftersales_invoice_count = len(invoices)

    # ------------------------------------------------------------ onchange

    @api.onchange("service_centre_id")
    def _onchange_service_centre_id(self):
        if self.service_centre_id.warehouse_id.repair_type_id:
            self.picking_type_id = self.service_centre_id.warehouse_id.repair_type_id

    @api.onchange("service_type_id")
    def _onchange_service_type_id(self):
        service_type = self.service_type_id
        if service_type.default_order_type_id and not self.order_type_id:
            self.order_type_id = service_type.default_order_type_id
        if service_type.default_priority_id and not self.service_priority_id:
            self.service_priority_id = service_type.default_priority_id

    @api.onchange("lot_id")
    def _onchange_lot_id_aftersales_warranty(self):
        if not self.is_aftersales or not self.lot_id:
            return
        result = self.env["aftersales.warranty"].lookup(self.lot_id.name, partner_id=self.partner_id.id or False)
        if result.get("status") == "found":
            self.warranty_id = result.get("warranty_id") or False
            self.under_warranty = bool(result.get("under_warranty"))

    # ------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        # a new order may come with its technician and warranty (reception, assignment from the employee
        # form); the read-only workflow stamps are the system's
        readonly = [name for name in self._aftersales_protected_fields() if self._fields[name].readonly]
        for vals in vals_list:
            check_protected_fields(self, vals, readonly)
        self._prepare_aftersales_create_vals(vals_list)
        now = fields.Datetime.now()
        for vals in vals_list:
            if vals.get("technician_id"):
                vals.setdefault("date_assigned", now)
        orders = super().create(vals_list)
        orders.filtered("technician_id")._aftersales_on_technician_assigned()
        orders.filtered("is_aftersales")._sla_update_status()
        # the orders done on the same serial shortly before are no longer first-time fixes
        orders._aftersales_mark_earlier_orders()
        return orders

    def write(self, vals):
        vals, relookup = self._aftersales_check_protected_write(vals)
        # another serial or kind of order changes which earlier orders are repeated (first-time fix)
        serial_change = "lot_id" in vals or "is_aftersales" in vals
        if serial_change:
            self._aftersales_mark_earlier_orders()
        previous = {}
        if "technician_id" in vals:
            previous = {order.id: order.technician_id.id for order in self}
            if vals["technician_id"]:
                vals = dict(vals, date_assigned=fields.Datetime.now(), date_accepted=False)
            else:
                vals = dict(vals, date_assigned=False, date_accepted=False)
        if "waiting_reason" in vals:
            self._sla_record_pauses(vals["waiting_reason"])
        res = super().write(vals)
        if vals.get("technician_id"):
            self.filtered(
                lambda order: previous.get(order.id) != order.technician_id.id
            )._aftersales_on_technician_assigned()
        if "state" in vals:
            # the request state is derived from its orders; technicians may not write requests
            self.aftersales_request_id.sudo()._sync_state_from_orders()
        if relookup:
            relookup._aftersales_refresh_warranty()
        if {"state", "waiting_reason", "date_accepted", "date_finished", "sla_policy_id", "sla_start_date"} & set(vals):
            self._sla_update_status()
        if serial_change:
            self._aftersales_mark_earlier_orders()
        return res

    def unlink(self):
        earlier = self._aftersales_get_earlier_orders() - self
        res = super().unlink()
        self.env.add_to_compute(self._fields["aftersales_repeat_order"], earlier)
        return res

    def _aftersales_protected_fields(self):
        """Workflow, SLA and warranty fields of after-sales orders that only the action methods change
        (assignment wizard, accept, start/finish), as superuser after their own checks.

        A direct write by anyone but an after-sales manager is refused, and so is a create that sets the
        read-only ones. Native fields (``state``...) are not listed: the native repair flow keeps its own
        rules. Invoked by ``create`` and ``write``; addons that add such fields extend the list with
        ``super()`` (the dispatch addon adds its dispatch and travel fields).
        """
        return [
            "technician_id",
            "is_aftersales",
            *WARRANTY_FIELDS,
            "date_assigned",
            "date_accepted",
            "date_started",
            "date_finished",
            "start_latitude",
            "start_longitude",
            "finish_latitude",
            "finish_longitude",
            "sla_policy_id",
            "sla_start_date",
            "sla_status",
            "sla_escalation_level",
        ]

    def _aftersales_check_protected_write(self, vals):
        """Refuse the direct write of protected fields (see ``_aftersales_protected_fields()``).

        The warranty fields of an after-sales order follow its serial: when a non-manager changes the serial,
        the values the form's onchange sent are replaced by the warranty lookup done here. Return the values
        to write and the orders whose warranty must be looked up after the write.
        """
        relookup = self.browse()
        if self.env.su or self.env.user.has_group(MANAGER_GROUP):
            return vals, relookup
        protected = list(self._aftersales_protected_fields())
        aftersales = self.filtered("is_aftersales")
        if "lot_id" in vals and aftersales:
            vals = {key: value for key, value in vals.items() if key not in WARRANTY_FIELDS}
            relookup = aftersales
        if not aftersales:
            protected = [name for name in protected if name not in WARRANTY_FIELDS]
        check_protected_fields(self, vals, protected)
        return vals, relookup

    def _aftersales_refresh_warranty(self):
        """Warranty card and status of after-sales orders from the lookup of their serial (as the form's
        onchange does), written as superuser: the caller was allowed to change the serial."""
        for order in self.filtered("lot_id"):
            result = self.env["aftersales.warranty"].lookup(order.lot_id.name, partner_id=order.partner_id.id or False)
            if result.get("status") == "found":
                order.sudo().write(
                    {
                        "warranty_id": result.get("warranty_id") or False,
                        "under_warranty": bool(result.get("under_warranty")),
                    }
                )

    # ------------------------------------------------------------ actions

    def action_assign_technician(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Assign Technician"),
            "res_model": "repair.order.assign.technician",
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": "repair.order", "active_ids": self.ids},
        }

    def action_accept(self):
        """The technician accepts the job with one click."""
        not_assigned = self.filtered(lambda order: not order.technician_id)
        if not_assigned:
            raise UserError(
                self.env._(
                    "Assign a technician before accepting: %(names)s",
                    names=", ".join(not_assigned.mapped("name")),
                )
            )
        closed = self.filtered(lambda order: order.state in ("done", "cancel"))
        if closed:
            raise UserError(
                self.env._(
                    "Finished or cancelled orders cannot be accepted: %(names)s",
                    names=", ".join(closed.mapped("name")),
                )
            )
        if not self.env.user.has_group("aftersales_service.group_aftersales_dispatcher"):
            others = self.filtered(lambda order: order.technician_user_id != self.env.user)
            if others:
                raise UserError(
                    self.env._(
                        "Only the assigned technician can accept these orders: %(names)s",
                        names=", ".join(others.mapped("name")),
                    )
                )
        # assigned technician or dispatcher checked above; the acceptance stamp is a protected field
        self.check_access("write")
        self.filtered(lambda order: not order.date_accepted).sudo().write({"date_accepted": fields.Datetime.now()})
        return True

    def action_start(self, latitude=False, longitude=False):
        """Start the work (native ``action_repair_start``), stamping time and position."""
        res = self.action_repair_start()
        if latitude or longitude:
            # the caller just started these orders; the position stamp is a protected field
            self.check_access("write")
            self.sudo().write({"start_latitude": latitude, "start_longitude": longitude})
            self._update_technician_position(latitude, longitude)
        return res

    def action_finish(self, latitude=False, longitude=False):
        """End the work (native ``action_repair_end``), stamping time and position."""
        res = self.action_repair_end()
        if latitude or longitude:
            # the caller just ended these orders; the position stamp is a protected field
            self.check_access("write")
            self.sudo().write({"finish_latitude": latitude, "finish_longitude": longitude})
            self._update_technician_position(latitude, longitude)
        return res

    def action_repair_start(self):
        records = self.sudo() if self._is_own_technician_job() else self
        res = super(RepairOrder, records).action_repair_start()
        # the native step above ran with the caller's rights (or the own-job check): stamp as superuser
        self.filtered(lambda order: order.is_aftersales and not order.date_started).sudo().write(
            {"date_started": fields.Datetime.now()}
        )
        return res

    def action_repair_end(self):
        records = self.sudo() if self._is_own_technician_job() else self
        return super(RepairOrder, records).action_repair_end()

    def action_repair_done(self):
        pending = self.aftersales_worklog_ids.filtered(lambda w: w.state == "submitted")
        if pending:
            raise UserError(
                self.env._(
                    "These worklogs wait for approval; approve or reject them before ending the order: %(names)s",
                    names=", ".join(pending.mapped("name")),
                )
            )
        self._aftersales_check_worklog_parts_reserved()
        res = super().action_repair_done()
        # the native step above ran with the caller's rights: stamp as superuser
        self.filtered(
            lambda order: order.is_aftersales and order.state == "done" and not order.date_finished
        ).sudo().write({"date_finished": fields.Datetime.now()})
        return res

    def action_create_sale_order(self):
        res = super().action_create_sale_order()
        self._aftersales_sync_labour_lines()
        return res

    def action_sla_resume(self):
        """End the waiting period: the paused working hours are added to the deadlines."""
        self.filtered("waiting_reason").write({"waiting_reason": False})
        return True

    def action_view_aftersales_request(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "aftersales.request",
            "view_mode": "form",
            "res_id": self.aftersales_request_id.id,
        }

    def action_view_aftersales_worklogs(self):
        """The order's worklogs; straight to the form when there is one (or none yet: a new one for
        the order), so that the technician who checked in writes the report in one click."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("aftersales_service.aftersales_worklog_action")
        action["domain"] = [("repair_id", "=", self.id)]
        action["context"] = {"default_repair_id": self.id}
        worklogs = self.aftersales_worklog_ids
        if len(worklogs) <= 1:
            action.update(view_mode="form", views=[(False, "form")], res_id=worklogs.id)
        return action

    def action_invoice_parts(self):
        """Invoice the parts and the labour of finished orders out of warranty (native sale order and
        invoice; the posted invoice books its journal entry)."""
        not_done = self.filtered(lambda r: r.state != "done")
        if not_done:
            raise UserError(
                self.env._("Only repaired orders can be invoiced: %(names)s", names=", ".join(not_done.mapped("name")))
            )
        warranty = self.filtered("under_warranty")
        if warranty:
            raise UserError(
                self.env._(
                    "These orders are under warranty; their parts are booked as warranty consumption and "
                    "are not invoiced: %(names)s",
                    names=", ".join(warranty.mapped("name")),
                )
            )
        for repair in self.filtered(lambda r: not r.sale_order_id):
            repair.action_create_sale_order()
        self._aftersales_sync_labour_lines()
        orders = self.sale_order_id
        orders.filtered(lambda so: so.state in ("draft", "sent")).action_confirm()
        to_invoice = orders.filtered(lambda so: so.invoice_status == "to invoice")
        if not to_invoice and not orders.invoice_ids:
            raise UserError(
                self.env._("There is nothing to invoice on %(names)s.", names=", ".join(self.mapped("name")))
            )
        if to_invoice:
            invoices = to_invoice._create_invoices()
            invoices.action_post()
        return self.action_view_aftersales_invoices()

    def action_view_aftersales_invoices(self):
        invoices = self.aftersales_invoice_ids
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_out_invoice_type")
        if len(invoices) == 1:
            action["views"] = [(self.env.ref("account.view_move_form").id, "form")]
            action["res_id"] = invoices.id
        else:
            action["domain"] = [("id", "in", invoices.ids)]
        return action

    def action_aftersales_scrap(self):
        """Open a scrap for an irreparable part of this order: a removed part is written off from the
        location it was received in (the warehouse's Scrap Parts), a part spoilt on the job from the van."""
        self.ensure_one()
        scrap_lines = self.aftersales_worklog_ids.removed_part_ids.filtered(lambda p: p.line_type == "remove")
        removed_to = scrap_lines.move_id.filtered(lambda m: m.state == "done").location_dest_id.filtered(
            lambda loc: loc.usage == "internal"
        )
        source = removed_to[:1] or self._aftersales_get_van_location() or self.location_id
        context = {
            "default_aftersales_repair_id": self.id,
            "default_origin": self.name,
            "default_company_id": self.company_id.id,
            "default_location_id": source.id,
        }
        if len(scrap_lines.product_id) == 1:
            context["default_product_id"] = scrap_lines.product_id.id
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Scrap Receipt"),
            "res_model": "stock.scrap",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": context,
        }

    def action_view_aftersales_scraps(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_stock_scrap")
        action["domain"] = [("aftersales_repair_id", "=", self.id)]
        action["context"] = {"default_aftersales_repair_id": self.id, "default_origin": self.name}
        return action

    def action_consignment_issue(self):
        """Open a new internal transfer that issues parts from the warehouse to the technician's van."""
        self.ensure_one()
        van = self._aftersales_require_van_location()
        warehouse = self._aftersales_get_warehouse()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Issue Parts to Technician"),
            "res_model": "stock.picking",
            "view_mode": "form",
            "views": [(False, "form")],
            "context": {
                "default_picking_type_id": warehouse.int_type_id.id,
                "default_location_id": warehouse.lot_stock_id.id,
                "default_location_dest_id": van.id,
                "default_aftersales_repair_id": self.id,
                "default_aftersales_consignment_type": "issue",
                "default_origin": self.name,
                "default_partner_id": False,
                "restricted_picking_type_code": "internal",
            },
        }

    def action_consignment_return(self):
        """Create the return transfer van -> warehouse for the issued parts that were not consumed."""
        self.ensure_one()
        picking = self._aftersales_create_consignment_return()
        return {
            "type": "ir.actions.act_window",
            "res_model": "stock.picking",
            "view_mode": "form",
            "views": [(False, "form")],
            "res_id": picking.id,
        }

    def action_view_aftersales_consignments(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_picking_tree_all")
        action["domain"] = [("aftersales_repair_id", "=", self.id), ("aftersales_consignment_type", "!=", False)]
        action["context"] = {"create": False}
        return action

    def action_view_aftersales_part_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("aftersales_service.aftersales_part_request_action")
        action["domain"] = [("repair_id", "=", self.id)]
        action["context"] = {
            "default_repair_id": self.id,
            "default_technician_id": self.technician_id.id,
        }
        return action

    # ------------------------------------------------------------ business

    @api.model
    def _prepare_aftersales_create_vals(self, vals_list):
        """Complete after-sales values before creation, in batch:

        - orders with a request unit or a service type are after-sales orders;
        - orders created by confirming a sale of a product with an after-sales service type
          become after-sales orders of that type;
        - the operation type comes from the service centre's warehouse;
        - the warranty and ``under_warranty`` come from the warranty lookup of the serial.
        """
        sale_line_ids = [vals["sale_order_line_id"] for vals in vals_list if vals.get("sale_order_line_id")]
        sale_lines = self.env["sale.order.line"].sudo().browse(sale_line_ids)
        service_type_by_line = {line.id: line.product_template_id.aftersales_service_type_id for line in sale_lines}
        for vals in vals_list:
            service_type = service_type_by_line.get(vals.get("sale_order_line_id"))
            if service_type and not vals.get("service_type_id"):
                vals.update(
                    {
                        "is_aftersales": True,
                        "service_type_id": service_type.id,
                        "order_type_id": service_type.default_order_type_id.id,
                        "service_priority_id": service_type.default_priority_id.id,
                    }
                )
            if vals.get("aftersales_request_line_id") or vals.get("service_type_id"):
                vals["is_aftersales"] = True
        centres = self.env["aftersales.service.centre"].browse(
            {vals["service_centre_id"] for vals in vals_list if vals.get("service_centre_id")}
        )
        repair_type_by_centre = {centre.id: centre.warehouse_id.repair_type_id.id for centre in centres}
        for vals in vals_list:
            if vals.get("service_centre_id") and "picking_type_id" not in vals:
                if repair_type_by_centre.get(vals["service_centre_id"]):
                    vals["picking_type_id"] = repair_type_by_centre[vals["service_centre_id"]]
        to_lookup = [
            vals for vals in vals_list if vals.get("is_aftersales") and vals.get("lot_id") and "warranty_id" not in vals
        ]
        if to_lookup:
            lots = self.env["stock.lot"].browse({vals["lot_id"] for vals in to_lookup})
            lot_names = {lot.id: lot.name for lot in lots}
            results = self.env["aftersales.warranty"].lookup_many(list(set(lot_names.values())))
            for vals in to_lookup:
                result = self._find_lookup_result(results, lot_names[vals["lot_id"]])
                if result and result.get("status") == "found":
                    vals["warranty_id"] = self.env["aftersales.request"]._as_id(result.get("warranty_id"))
                    vals.setdefault("under_warranty", bool(result.get("under_warranty")))
        return vals_list

    @api.model
    def _find_lookup_result(self, results, code):
        return results.get(normalize_code(code)) or results.get(code)

    def _check_assignable(self, technician):
        """Guard used by every assignment path: open orders, a technician with the required skills."""
        closed = self.filtered(lambda order: order.state in ("done", "cancel"))
        if closed:
            raise UserError(
                self.env._(
                    "Finished or cancelled orders cannot be assigned: %(names)s",
                    names=", ".join(closed.mapped("name")),
                )
            )
        if not technician.is_technician:
            raise UserError(self.env._("%(name)s is not a technician.", name=technician.name))
        unqualified = self.filtered(
            lambda order: order.service_type_id and not order.service_type_id._filter_qualified_technicians(technician)
        )
        if unqualified:
            raise UserError(
                self.env._(
                    "%(technician)s lacks the skills required by these orders: %(names)s",
                    technician=technician.name,
                    names=", ".join(unqualified.mapped("name")),
                )
            )
        return True

    def _aftersales_on_technician_assigned(self):
        """Hook invoked by ``create`` and ``write`` with the orders that just got a new technician
        (after the write). Nothing here; the dispatch addon tells the technicians of their new jobs."""
        return True

    def _update_technician_position(self, latitude, longitude):
        for order in self.filtered("technician_id"):
            # technicians cannot write employees; the position is the one they just reported for their own order
            if order.technician_user_id == self.env.user or self.env.user.has_group(
                "aftersales_service.group_aftersales_dispatcher"
            ):
                order.technician_id.sudo().write(
                    {
                        "last_latitude": latitude,
                        "last_longitude": longitude,
                        "last_position_date": fields.Datetime.now(),
                    }
                )

    def _is_own_technician_job(self):
        """True when a technician without inventory rights works on their own after-sales orders.

        Starting and ending a repair moves stock (the repaired unit, the parts); technicians are not
        inventory users, so these native steps then run as superuser, only after this check.
        """
        user = self.env.user
        return bool(
            self
            and not self.env.su
            and not user.has_group("stock.group_stock_user")
            and all(order.is_aftersales and order.technician_user_id == user for order in self)
        )

    def _aftersales_customer_status(self):
        """Where this order stands for its customer (a key of the request's customer statuses)."""
        self.ensure_one()
        if self.state == "done":
            return "ready"
        if self.state == "under_repair":
            return "waiting_parts" if self.waiting_reason == "parts" else "in_repair"
        if self.technician_id and self.date_accepted:
            # an order the technician has not taken yet is no news for the customer
            return "assigned"
        return "received"

    def _aftersales_document_date(self, value):
        """A date printed on the service report, which the customer keeps: Jalali with the Gregorian
        date alongside for Persian readers (language of the context), the language's format otherwise."""
        return format_reader_date(self.env, value, with_gregorian=True)

    def _aftersales_document_direction(self):
        """Writing direction of the customer's language (``'rtl'`` for Persian) for printed documents."""
        self.ensure_one()
        return reader_direction(self.env, self.partner_id.lang)

    @api.model
    def _group_expand_technicians(self, technicians, domain):
        """On the dispatch board, every technician of the user's companies is a column to drop orders on,
        whether or not they have a job yet; elsewhere a grouping shows only the technicians it found."""
        if not self.env.context.get("aftersales_board_all_technicians"):
            return technicians
        return technicians | technicians.search(
            [("is_technician", "=", True), ("company_id", "in", self.env.companies.ids)]
        )

    def _aftersales_get_van_location(self):
        self.ensure_one()
        return self.technician_id.van_location_id

    def _aftersales_require_van_location(self):
        van = self._aftersales_get_van_location()
        if not van:
            raise UserError(
                self.env._(
                    "Order %(order)s: the technician %(technician)s has no van location.",
                    order=self.name,
                    technician=self.technician_id.name or "-",
                )
            )
        return van

    def _aftersales_get_report_worklogs(self):
        """Worklogs the service report prints, by section, each in visit order: ``done`` (the work
        submitted or approved) and ``rejected`` (work refused by the dispatcher or QC, redone later).
        Drafts are not printed."""
        self.ensure_one()
        worklogs = self.aftersales_worklog_ids.sorted(lambda w: (w.date_start or fields.Datetime.now(), w.id))
        return {
            "done": worklogs.filtered(lambda w: w.state in ("submitted", "approved")),
            "rejected": worklogs.filtered(lambda w: w.state == "rejected"),
        }

    def _aftersales_get_warehouse(self):
        self.ensure_one()
        return self.service_centre_id.warehouse_id or self.picking_type_id.warehouse_id

    def _aftersales_consignment_balance(self):
        """Per product: quantity issued to the van for this order, minus returned, minus consumed."""
        self.ensure_one()
        van = self._aftersales_get_van_location()
        balance = defaultdict(float)
        for picking in self.aftersales_consignment_picking_ids.filtered(lambda p: p.state != "cancel"):
            sign = 1 if picking.aftersales_consignment_type == "issue" else -1
            for move in picking.move_ids.filtered(lambda m: m.state != "cancel"):
                if sign > 0 and move.state != "done":
                    continue  # only what the technician really received can come back
                qty = move.quantity if move.state == "done" else move.product_uom_qty
                balance[move.product_id] += sign * move.product_uom._compute_quantity(qty, move.product_id.uom_id)
        consumed = self.move_ids.filtered(
            lambda m: m.repair_line_type == "add" and m.state != "cancel" and m.location_id == van
        )
        for move in consumed:
            qty = move.quantity if move.state == "done" else move.product_uom_qty
            balance[move.product_id] -= move.product_uom._compute_quantity(qty, move.product_id.uom_id)
        return {
            product: qty
            for product, qty in balance.items()
            if float_compare(qty, 0.0, precision_rounding=product.uom_id.rounding) > 0
        }

    def _prepare_aftersales_consignment_return_vals(self, van, warehouse, balance):
        """Values of the consignment return transfer (technician's van -> warehouse stock) of this
        order, one move per part in ``balance`` (``{product: quantity issued and not consumed}``).

        Invoked by ``_aftersales_create_consignment_return`` (button *Return Unused Parts*, i.e.
        ``action_consignment_return``) before the transfer is created, confirmed and reserved.
        Integrators override it (with ``super()``) to add values to the transfer or its moves.
        """
        self.ensure_one()
        return {
            "picking_type_id": warehouse.int_type_id.id,
            "location_id": van.id,
            "location_dest_id": warehouse.lot_stock_id.id,
            "origin": self.name,
            "aftersales_repair_id": self.id,
            "aftersales_consignment_type": "return",
            "move_ids": [
                fields.Command.create(
                    {
                        "name": product.display_name,
                        "product_id": product.id,
                        "product_uom": product.uom_id.id,
                        "product_uom_qty": qty,
                        "location_id": van.id,
                        "location_dest_id": warehouse.lot_stock_id.id,
                    }
                )
                for product, qty in balance.items()
            ],
        }

    def _aftersales_create_consignment_return(self):
        self.ensure_one()
        van = self._aftersales_require_van_location()
        warehouse = self._aftersales_get_warehouse()
        balance = self._aftersales_consignment_balance()
        if not balance:
            raise UserError(
                self.env._("Order %(order)s: no issued part is left to return from the van.", order=self.name)
            )
        picking = self.env["stock.picking"].create(
            self._prepare_aftersales_consignment_return_vals(van, warehouse, balance)
        )
        picking.action_confirm()
        picking.action_assign()
        return picking

    def _aftersales_check_worklog_parts_reserved(self):
        moves = self.move_ids.filtered(
            lambda m: m.aftersales_worklog_part_id and m.state in ("confirmed", "partially_available", "waiting")
        )
        moves._action_assign()
        short = moves.filtered(
            lambda m: m.repair_line_type == "add"
            and m.product_id.is_storable
            and float_compare(m.quantity, m.product_uom_qty, precision_rounding=m.product_uom.rounding) < 0
        )
        if short:
            raise UserError(
                self.env._(
                    "These approved parts are not available in their source location: %(parts)s",
                    parts=", ".join(
                        f"{m.repair_id.name}: {m.product_id.display_name} ({m.location_id.display_name})" for m in short
                    ),
                )
            )

    def _prepare_aftersales_labour_line_vals(self, labour, hours):
        """Values of the labour line (``sale.order.line``) of this order's quotation: ``hours`` spent on
        the approved worklogs of the ``labour`` product (the service type's labour product).

        Invoked by ``_aftersales_sync_labour_lines``, i.e. by ``action_invoice_parts`` (*Invoice Parts*)
        and ``action_create_sale_order``, when the quotation has no labour line yet; the parts lines
        come from the native repair moves. The posted invoice takes its lines from the quotation, so
        integrators override this (with ``super()``) to change what the customer is invoiced for labour.
        """
        self.ensure_one()
        return {"order_id": self.sale_order_id.id, "product_id": labour.id, "product_uom_qty": hours}

    def _aftersales_sync_labour_lines(self):
        """Add (or update) the labour line, time spent on approved worklogs x labour product, on the
        order's quotation."""
        SaleLine = self.env["sale.order.line"]
        vals_list = []
        for repair in self.filtered(lambda r: r.sale_order_id and not r.under_warranty):
            hours = repair.aftersales_labour_hours
            if float_is_zero(hours, precision_digits=2):
                continue
            labour = repair.service_type_id.labour_product_id
            if not labour:
                raise UserError(
                    self.env._(
                        "Order %(order)s: set a labour product on the service type %(type)s to invoice the "
                        "%(hours).2f hours spent.",
                        order=repair.name,
                        type=repair.service_type_id.display_name or "-",
                        hours=hours,
                    )
                )
            order = repair.sale_order_id
            line = order.order_line.filtered(lambda sol, p=labour: sol.product_id == p and not sol.move_ids)[:1]
            if line:
                if line.qty_invoiced == 0 and float_compare(line.product_uom_qty, hours, precision_digits=2):
                    line.product_uom_qty = hours
                continue
            vals_list.append(repair._prepare_aftersales_labour_line_vals(labour, hours))
        if vals_list:
            SaleLine.create(vals_list)

    # ------------------------------------------------------------ report facts

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

    # ------------------------------------------------------------ SLA

    @api.model
    def _cron_sla_escalate(self):
        """Refresh SLA statuses and escalate at-risk and breached orders, once per level."""
        orders = self.search(
            [("is_aftersales", "=", True), ("state", "in", OPEN_STATES), ("sla_policy_id", "!=", False)]
        )
        orders._sla_update_status()
        at_risk = orders.filtered(lambda o: o.sla_status == "at_risk" and o.sla_escalation_level < 1)
        breached = orders.filtered(lambda o: o.sla_status == "breached" and o.sla_escalation_level < 2)
        for order in at_risk:
            order.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=order._sla_dispatcher_user().id,
                summary=self.env._("SLA at risk: %(name)s", name=order.name),
                note=self.env._(
                    "Service order %(name)s is at risk of missing its SLA (resolution due %(deadline)s).",
                    name=order.name,
                    deadline=order.sla_resolution_deadline,
                ),
            )
        if at_risk:
            at_risk.write({"sla_escalation_level": 1})
        template = self.env.ref("aftersales_service.mail_template_repair_sla_breached", raise_if_not_found=False)
        for order in breached:
            order.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=order._sla_manager_user().id,
                summary=self.env._("SLA breached: %(name)s", name=order.name),
                note=self.env._(
                    "Service order %(name)s breached its SLA (response due %(response)s, resolution due "
                    "%(resolution)s).",
                    name=order.name,
                    response=order.sla_response_deadline,
                    resolution=order.sla_resolution_deadline,
                ),
            )
            if template and order.partner_id:
                order.message_post_with_source(template, subtype_xmlid="aftersales_service.mt_repair_sla_breached")
        if breached:
            breached.write({"sla_escalation_level": 2})

    def _sla_dispatcher_user(self):
        self.ensure_one()
        return self.user_id or self.service_centre_id.manager_id or self.env.user

    def _sla_manager_user(self):
        self.ensure_one()
        return self.service_centre_id.manager_id or self.user_id or self.env.user

    def _sla_record_pauses(self, new_reason):
        """Open a pause when a waiting reason is set, close it (working hours counted) when cleared."""
        now = fields.Datetime.now()
        to_open = self.filtered(lambda o: new_reason and not o.waiting_reason and o.state in OPEN_STATES)
        if to_open:
            self.env["aftersales.sla.pause"].sudo().create(
                [{"order_id": order.id, "reason": new_reason, "date_start": now} for order in to_open]
            )
        if not new_reason:
            open_pauses = self.sla_pause_ids.filtered(lambda p: not p.date_end)
            for pause in open_pauses:
                policy = pause.order_id.sla_policy_id
                hours = (
                    policy._working_hours_between(pause.date_start, now)
                    if policy
                    else (now - pause.date_start).total_seconds() / 3600
                )
                pause.sudo().write(
                    {
                        "date_end": now,
                        "duration_hours": hours,
                        "before_response": not (pause.order_id.date_accepted or pause.order_id.date_started),
                    }
                )

    def _sla_compute_status(self, now):
        self.ensure_one()
        if not self.sla_policy_id or self.state == "cancel":
            return False
        response_at = self.date_accepted or self.date_started
        if response_at and response_at > self.sla_response_deadline:
            return "breached"
        if self.state == "done":
            finished = self.date_finished or self.write_date or now
            return "met" if finished <= self.sla_resolution_deadline else "breached"
        if self.waiting_reason:
            return "paused"
        if (not response_at and now > self.sla_response_deadline) or now > self.sla_resolution_deadline:
            return "breached"
        policy = self.sla_policy_id
        closed = self.sla_pause_ids.filtered("date_end")
        if response_at:
            allowed = policy.resolution_hours
        else:
            allowed = policy.response_hours
        # share of the allowed working time already used (pauses excluded)
        elapsed = policy._working_hours_between(self.sla_start_date, now) - sum(closed.mapped("duration_hours"))
        used = elapsed / allowed if allowed > 0 else 1.0
        threshold = (self.company_id.aftersales_sla_at_risk_percent or 75) / 100.0
        return "at_risk" if used >= threshold else "on_track"

    def _sla_update_status(self):
        """Store the SLA status of each order (one write per status value)."""
        now = fields.Datetime.now()
        by_status = defaultdict(list)
        for order in self:
            status = order._sla_compute_status(now)
            if status != order.sla_status:
                by_status[status].append(order.id)
        for status, ids in by_status.items():
            self.browse(ids).sudo().write({"sla_status": status})

    # ------------------------------------------------------------ rating

    def _rating_get_operator(self):
        technician = self.technician_id
        if technician:
            return technician.work_contact_id or technician.user_id.partner_id
        return super()._rating_get_operator()

    # ------------------------------------------------------------ public API (RPC)

    def api_read_status(self):
        """Where the order stands, as data.

        Who: anyone who may read the order (its technician, dispatchers, reception, managers).

        :return: list of dicts, one per order (see ``_api_status``)
        """
        self.check_access("read")
        return [order._api_status() for order in self]

    def _api_status(self):
        """Status dict of one order; extended by the dispatch and QC addons."""
        self.ensure_one()
        return {
            "id": self.id,
            "name": self.name,
            "state": self.state,
            "technician_id": self.technician_id.id,
            "date_accepted": api_datetime(self.date_accepted),
            "date_started": api_datetime(self.date_started),
            "date_finished": api_datetime(self.date_finished),
            "worklog_ids": self.aftersales_worklog_ids.ids,
        }

    def _api_check_own_or_dispatcher(self):
        """The assigned technician, or a dispatcher, on orders the caller may edit."""
        self.check_access("write")
        if not self.env.user.has_group(DISPATCHER_GROUP):
            others = self.filtered(lambda order: order.technician_user_id != self.env.user)
            if others:
                raise AccessError(
                    self.env._(
                        "Only the assigned technician can do this on these orders: %(names)s",
                        names=", ".join(others.mapped("name")),
                    )
                )

    def _api_open_worklog(self):
        self.ensure_one()
        return self.env["aftersales.worklog"].search(
            [("repair_id", "=", self.id), ("state", "in", ("draft", "rejected"))], order="id desc", limit=1
        )

    def api_check_in(self, latitude=False, longitude=False):
        """The technician arrives: the order starts (time and position stamped) and a draft worklog opens
        (or the open one is kept).

        Who: the assigned technician, or a dispatcher.

        :return: ``{"order": status dict, "worklog_id": id}``
        """
        self.ensure_one()
        self._api_check_own_or_dispatcher()
        if self.state not in ("draft", "confirmed", "under_repair"):
            raise UserError(self.env._("The order %(name)s is closed.", name=self.name))
        if self.state == "draft":
            # on site: the unit is at the customer's, confirmed without the workshop's stock check; the
            # caller is the assigned technician or a dispatcher (checked above), who are no stock users
            self.sudo()._action_repair_confirm()
        if self.state == "confirmed":
            self.action_start(latitude, longitude)
        worklog = self._api_open_worklog()
        if not worklog:
            vals = {"repair_id": self.id, "date_start": fields.Datetime.now()}
            if latitude or longitude:
                vals.update(latitude=latitude, longitude=longitude)
            worklog = self.env["aftersales.worklog"].create(vals)
        return {"order": self._api_status(), "worklog_id": worklog.id}

    def api_check_out(self, latitude=False, longitude=False):
        """The technician leaves: the end time of the open worklog is stamped; the order stays open
        until the report is approved.

        Who: the assigned technician, or a dispatcher.

        :return: ``{"order": status dict, "worklog_id": id, "date_end": str}``
        """
        self.ensure_one()
        self._api_check_own_or_dispatcher()
        worklog = self._api_open_worklog()
        if not worklog:
            raise UserError(self.env._("Check in before checking out (%(name)s).", name=self.name))
        worklog.write({"date_end": fields.Datetime.now()})
        if latitude or longitude:
            self._update_technician_position(latitude, longitude)
        return {"order": self._api_status(), "worklog_id": worklog.id, "date_end": api_datetime(worklog.date_end)}

    def api_invoice_parts(self):
        """Invoice the parts and labour of these finished orders out of warranty (posted invoices).

        Who: users who may create sale orders and invoices (sales / accounting users, managers).

        :return: ``{"invoice_ids": [...], "sale_order_ids": [...]}``
        """
        self.check_access("write")
        self.action_invoice_parts()
        return {"invoice_ids": self.aftersales_invoice_ids.ids, "sale_order_ids": self.sale_order_id.ids}

    def api_close(self):
        """End these orders under repair (native *End Repair* then *Repair Done* checks: no worklog
        waiting for approval or QC, parts reserved).

        Who: users who may edit the orders and move stock (stock users, managers).

        :return: list of status dicts
        """
        self.check_access("write")
        result = self.action_repair_end()
        if isinstance(result, dict):
            raise UserError(self.env._("Close these orders in the form: the parts need a decision."))
        return [order._api_status() for order in self]

    def api_consignment_issue(self, parts):
        """Issue parts from the service centre's warehouse to the technician's van, in one call: the
        transfer is created, confirmed, reserved and validated, as the user would do in the form.

        Who: inventory users.

        :param parts: list of ``{"product_id": id, "quantity": float}``
        :return: ``{"picking_id": id, "name": str, "state": str}``
        """
        self.ensure_one()
        van = self._aftersales_require_van_location()
        warehouse = self._aftersales_get_warehouse()
        if not isinstance(parts, list | tuple) or not parts:
            raise UserError(self.env._("Give the parts to issue as a list of product and quantity."))
        moves = []
        for index, part in enumerate(parts, start=1):
            product_id = self.env["aftersales.request"]._as_id(isinstance(part, dict) and part.get("product_id"))
            product = self.env["product.product"].browse(product_id).exists()
            quantity = part.get("quantity", 1.0) if isinstance(part, dict) else 0
            if not product or not isinstance(quantity, int | float) or quantity <= 0:
                raise UserError(self.env._("Line %(line)s: give an existing part and a positive quantity.", line=index))
            moves.append(
                fields.Command.create(
                    {
                        "name": product.display_name,
                        "product_id": product.id,
                        "product_uom": product.uom_id.id,
                        "product_uom_qty": quantity,
                        "location_id": warehouse.lot_stock_id.id,
                        "location_dest_id": van.id,
                    }
                )
            )
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": warehouse.int_type_id.id,
                "location_id": warehouse.lot_stock_id.id,
                "location_dest_id": van.id,
                "origin": self.name,
                "aftersales_repair_id": self.id,
                "aftersales_consignment_type": "issue",
                "move_ids": moves,
            }
        )
        picking.action_confirm()
        picking.action_assign()
        return self._api_validate_picking(picking)

    def api_consignment_return(self):
        """Return the parts issued for this order and not consumed, van -> warehouse, in one call: the
        transfer is created, confirmed, reserved and validated.

        Who: inventory users.

        :return: ``{"picking_id": id, "name": str, "state": str}``
        """
        self.ensure_one()
        picking = self._aftersales_create_consignment_return()
        return self._api_validate_picking(picking)

    def _api_validate_picking(self, picking):
        short = picking.move_ids.filtered(
            lambda move: move.product_uom_qty and move.quantity < move.product_uom_qty and move.state != "cancel"
        )
        if short:
            raise UserError(
                self.env._(
                    "Not enough stock to move: %(parts)s",
                    parts=", ".join(
                        f"{move.product_id.display_name} ({move.location_id.display_name})" for move in short
                    ),
                )
            )
        picking.move_ids.picked = True
        result = picking.button_validate()
        if isinstance(result, dict) and picking.state != "done":
            raise UserError(self.env._("The transfer %(name)s needs a decision in the form.", name=picking.name))
        return {"picking_id": picking.id, "name": picking.name, "state": picking.state}

    def api_scrap(self, product_id, quantity=1.0, lot_id=False):
        """Scrap an irreparable part of this order in one call (a removed part from where it was
        received, else from the technician's van): the scrap is created and validated.

        Who: inventory users.

        :return: ``{"scrap_id": id, "name": str, "state": str}``
        """
        self.ensure_one()
        action = self.action_aftersales_scrap()
        defaults = {key[len("default_") :]: value for key, value in action["context"].items()}
        product = self.env["product.product"].browse(self.env["aftersales.request"]._as_id(product_id)).exists()
        if not product or not isinstance(quantity, int | float) or quantity <= 0:
            raise UserError(self.env._("Give an existing part and a positive quantity to scrap."))
        defaults.update(
            product_id=product.id,
            product_uom_id=product.uom_id.id,
            scrap_qty=quantity,
            lot_id=self.env["aftersales.request"]._as_id(lot_id) or False,
        )
        scrap = self.env["stock.scrap"].create(defaults)
        result = scrap.action_validate()
        if isinstance(result, dict) and scrap.state != "done":
            raise UserError(
                self.env._(
                    "Not enough %(part)s in %(location)s to scrap.",
                    part=product.display_name,
                    location=scrap.location_id.display_name,
                )
            )
        return {"scrap_id": scrap.id, "name": scrap.name, "state": scrap.state}
