from collections import defaultdict

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare


class AftersalesPartRequest(models.Model):
    _name = "aftersales.part.request"
    _description = "Technician Part Request"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    def _default_technician_id(self):
        return self.env["hr.employee"].search(
            [("user_id", "=", self.env.uid), ("company_id", "in", self.env.companies.ids)], limit=1
        )

    name = fields.Char(string="Reference", default="New", required=True, copy=False, readonly=True, index="trigram")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company, readonly=True
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("requested", "Requested"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("cancel", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        help="* Draft: the technician is preparing the request.\n"
        "* Requested: waiting for the storekeeper.\n"
        "* Approved: an internal transfer to the technician's van has been created.\n"
        "* Rejected: the storekeeper refused the request.\n"
        "* Cancelled: the request was withdrawn.",
    )
    technician_id = fields.Many2one(
        "hr.employee",
        required=True,
        index=True,
        default=_default_technician_id,
        check_company=True,
        tracking=True,
    )
    repair_id = fields.Many2one("repair.order", string="Service Order", index="btree_not_null", check_company=True)
    product_id = fields.Many2one(
        "product.product",
        string="Part",
        required=True,
        index=True,
        check_company=True,
        domain="[('type', '=', 'consu')]",
        tracking=True,
    )
    product_uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    quantity = fields.Float(default=1.0, required=True, digits="Product Unit of Measure", tracking=True)
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        string="From Warehouse",
        required=True,
        check_company=True,
        compute="_compute_warehouse_id",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
    )
    location_dest_id = fields.Many2one(
        "stock.location",
        string="To Location",
        compute="_compute_location_dest_id",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        domain="[('usage', '=', 'internal')]",
        help="The technician's van by default.",
    )
    available_qty = fields.Float(
        string="Available in Warehouse",
        compute="_compute_stock_overview",
        digits="Product Unit of Measure",
    )
    stock_overview = fields.Html(string="Stock by Warehouse", compute="_compute_stock_overview", sanitize=False)
    picking_id = fields.Many2one("stock.picking", string="Transfer", readonly=True, copy=False, check_company=True)
    picking_state = fields.Selection(related="picking_id.state", string="Transfer Status")
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    note = fields.Text()

    _sql_constraints = [
        ("quantity_positive", "CHECK (quantity > 0)", "The requested quantity must be positive."),
    ]

    @api.depends("technician_id", "repair_id")
    def _compute_warehouse_id(self):
        default = self.env["stock.warehouse"].search([("company_id", "=", self.env.company.id)], limit=1)
        for request in self:
            if request.warehouse_id:
                continue
            technician = request.technician_id
            request.warehouse_id = (
                request.repair_id.service_centre_id.warehouse_id or technician.service_centre_id.warehouse_id or default
            )

    @api.depends("technician_id")
    def _compute_location_dest_id(self):
        for request in self:
            request.location_dest_id = request.technician_id.van_location_id

    @api.depends("product_id", "warehouse_id", "company_id")
    def _compute_stock_overview(self):
        stock = self._get_stock_by_warehouse(self.product_id, self.company_id or self.env.company)
        for request in self:
            rows = stock.get(request.product_id, {})
            request.available_qty = rows.get(request.warehouse_id, (0.0, 0.0))[1]
            if not request.product_id:
                request.stock_overview = False
                continue
            body = Markup("").join(
                Markup("<tr><td>%s</td><td class='text-end'>%s</td><td class='text-end'>%s</td></tr>")
                % (escape(warehouse.display_name), on_hand, available)
                for warehouse, (on_hand, available) in sorted(rows.items(), key=lambda item: item[0].name)
            )
            if not body:
                body = Markup("<tr><td colspan='3'>%s</td></tr>") % self.env._("No stock in any warehouse.")
            request.stock_overview = Markup(
                "<table class='table table-sm'><thead><tr><th>%s</th><th class='text-end'>%s</th>"
                "<th class='text-end'>%s</th></tr></thead><tbody>%s</tbody></table>"
            ) % (self.env._("Warehouse"), self.env._("On Hand"), self.env._("Available"), body)

    @api.model
    def _get_stock_by_warehouse(self, products, companies):
        """Live stock of ``products`` per warehouse of ``companies``: one grouped query on the quants.

        :return: {product: {warehouse: (on_hand, available)}}
        """
        result = defaultdict(dict)
        if not products:
            return result
        groups = self.env["stock.quant"]._read_group(
            [
                ("product_id", "in", products.ids),
                ("location_id.usage", "=", "internal"),
                ("location_id.warehouse_id", "!=", False),
                ("company_id", "in", companies.ids),
            ],
            ["product_id", "warehouse_id"],
            ["quantity:sum", "reserved_quantity:sum"],
        )
        for product, warehouse, quantity, reserved in groups:
            result[product][warehouse] = (quantity, quantity - reserved)
        return result

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "New") == "New":
                vals["name"] = self.env["ir.sequence"].next_by_code("aftersales.part.request") or "New"
        return super().create(vals_list)

    def action_request(self):
        not_draft = self.filtered(lambda r: r.state != "draft")
        if not_draft:
            raise UserError(
                self.env._("Only draft part requests can be sent: %(names)s", names=", ".join(not_draft.mapped("name")))
            )
        no_dest = self.filtered(lambda r: not r.location_dest_id)
        if no_dest:
            raise UserError(
                self.env._(
                    "Choose where the parts must go (the technician has no van): %(names)s",
                    names=", ".join(no_dest.mapped("name")),
                )
            )
        self.write({"state": "requested"})
        auto = self.filtered(lambda r: r.company_id.aftersales_part_request_auto_approve and r._is_available())
        if auto:
            # The company allows automatic approval of requests the warehouse can serve (checked just
            # above); the requesting technician has no stock rights to create the transfer.
            auto.sudo()._action_approve(automatic=True)
        return True

    def action_approve(self):
        if not self.env.user.has_group("stock.group_stock_user"):
            raise AccessError(self.env._("Only storekeepers (inventory users) can approve part requests."))
        not_requested = self.filtered(lambda r: r.state != "requested")
        if not_requested:
            raise UserError(
                self.env._(
                    "Only requested part requests can be approved: %(names)s",
                    names=", ".join(not_requested.mapped("name")),
                )
            )
        self._action_approve()
        return True

    def action_reject(self):
        if not self.env.user.has_group("stock.group_stock_user"):
            raise AccessError(self.env._("Only storekeepers (inventory users) can reject part requests."))
        not_requested = self.filtered(lambda r: r.state != "requested")
        if not_requested:
            raise UserError(
                self.env._(
                    "Only requested part requests can be rejected: %(names)s",
                    names=", ".join(not_requested.mapped("name")),
                )
            )
        self.write({"state": "rejected"})
        return True

    def action_cancel(self):
        if self.filtered(lambda r: r.state == "approved") and not self.env.user.has_group("stock.group_stock_user"):
            raise AccessError(self.env._("Only storekeepers (inventory users) can cancel approved part requests."))
        done = self.filtered(lambda r: r.picking_id.state == "done")
        if done:
            raise UserError(
                self.env._(
                    "The parts of these requests were already transferred: %(names)s",
                    names=", ".join(done.mapped("name")),
                )
            )
        pickings = self.picking_id.filtered(lambda p: p.state not in ("done", "cancel"))
        if pickings:
            pickings.action_cancel()
        self.write({"state": "cancel"})
        return True

    def action_view_picking(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "stock.picking",
            "view_mode": "form",
            "views": [(False, "form")],
            "res_id": self.picking_id.id,
        }

    def _is_available(self):
        self.ensure_one()
        return float_compare(self.available_qty, self.quantity, precision_rounding=self.product_id.uom_id.rounding) >= 0

    def _action_approve(self, automatic=False):
        """Create the transfers of the requests and mark them approved.

        :param bool automatic: approved by the company's rule (the warehouse has the parts), not by a
            storekeeper: no approver is recorded (the caller runs as the system for the requester) and the
            chatter says so.
        """
        pickings = self.env["stock.picking"].create(
            [
                {
                    "picking_type_id": request.warehouse_id.int_type_id.id,
                    "location_id": request.warehouse_id.lot_stock_id.id,
                    "location_dest_id": request.location_dest_id.id,
                    "origin": request.name,
                    "company_id": request.company_id.id,
                    "aftersales_part_request_id": request.id,
                    "aftersales_repair_id": request.repair_id.id,
                    "aftersales_consignment_type": "issue" if request.repair_id else False,
                    "move_ids": [
                        fields.Command.create(
                            {
                                "name": request.product_id.display_name,
                                "product_id": request.product_id.id,
                                "product_uom": request.product_id.uom_id.id,
                                "product_uom_qty": request.quantity,
                                "location_id": request.warehouse_id.lot_stock_id.id,
                                "location_dest_id": request.location_dest_id.id,
                            }
                        )
                    ],
                }
                for request in self
            ]
        )
        pickings.action_confirm()
        pickings.action_assign()
        for picking in pickings:
            picking.aftersales_part_request_id.write(
                {"picking_id": picking.id, "state": "approved", "approved_by_id": not automatic and self.env.uid}
            )
        if automatic:
            for request in self:
                request.message_post(
                    body=self.env._(
                        "Approved automatically: the warehouse had the parts (automatic approval is on); "
                        "transfer %(picking)s.",
                        picking=request.picking_id.name,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
        return pickings
