from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero


class RepairOrder(models.Model):
    """Worklogs, parts, consignment, scrap and invoicing of a service order (on the native ledgers)."""

    _inherit = "repair.order"  # pylint: disable=consider-merging-classes-inherited

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

    # ------------------------------------------------------------------ computes
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

    # ------------------------------------------------------------------ native overrides
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
        return super().action_repair_done()

    def action_create_sale_order(self):
        res = super().action_create_sale_order()
        self._aftersales_sync_labour_lines()
        return res

    # ------------------------------------------------------------------ actions
    def action_view_aftersales_worklogs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("aftersales_service.aftersales_worklog_action")
        action["domain"] = [("repair_id", "=", self.id)]
        action["context"] = {"default_repair_id": self.id}
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

    # ------------------------------------------------------------------ business
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
            {
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
            vals_list.append({"order_id": order.id, "product_id": labour.id, "product_uom_qty": hours})
        if vals_list:
            SaleLine.create(vals_list)
