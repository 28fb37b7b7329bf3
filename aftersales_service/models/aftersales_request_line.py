from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools.protected_fields import MANAGER_GROUP


class AftersalesRequestLine(models.Model):
    _name = "aftersales.request.line"
    _description = "After-Sales Service Request Unit"
    _order = "request_id, sequence, id"
    _rec_name = "code"
    _check_company_auto = True

    request_id = fields.Many2one(
        "aftersales.request",
        required=True,
        index=True,
        ondelete="cascade",
    )
    sequence = fields.Integer(default=10)
    request_state = fields.Selection(related="request_id.state", store=True, index=True, string="Request Status")
    company_id = fields.Many2one(related="request_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="request_id.partner_id", store=True, index=True, string="Customer")
    code = fields.Char(
        string="Scanned Code",
        help="What was typed or scanned: a warranty serial, a product serial or a product code.",
    )
    match = fields.Selection(
        [
            ("warranty_serial", "Warranty serial"),
            ("product_serial", "Product serial"),
            ("product_code", "Product code"),
        ],
        string="Found By",
        readonly=True,
    )
    product_id = fields.Many2one(
        "product.product",
        required=True,
        index=True,
        check_company=True,
    )
    product_categ_id = fields.Many2one(related="product_id.categ_id", string="Product Category")
    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial Number",
        index="btree_not_null",
        check_company=True,
        domain="[('product_id', '=', product_id)]",
    )
    warranty_id = fields.Many2one(
        "aftersales.warranty",
        index="btree_not_null",
        help="Found automatically from the scanned code.",
    )
    under_warranty = fields.Boolean(help="The unit was under warranty on the day it was registered.")
    warranty_reason = fields.Char(string="Warranty Status", help="Why the unit is or is not under warranty.")
    service_type_id = fields.Many2one(
        "aftersales.service.type",
        compute="_compute_service_type_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
    )
    failure_mode_id = fields.Many2one(
        "aftersales.failure.mode",
        string="Reported Failure Mode",
        domain="['|', ('product_categ_ids', '=', False), ('product_categ_ids', 'in', product_categ_id)]",
    )
    failure_cause_id = fields.Many2one(
        "aftersales.failure.cause",
        string="Reported Failure Cause",
        domain="['|', ('product_categ_ids', '=', False), ('product_categ_ids', 'in', product_categ_id)]",
    )
    failure_agent_id = fields.Many2one(
        "aftersales.failure.agent",
        string="Reported Failure Agent",
        domain="['|', ('product_categ_ids', '=', False), ('product_categ_ids', 'in', product_categ_id)]",
    )
    failure_description = fields.Text()
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "aftersales_request_line_attachment_rel",
        "line_id",
        "attachment_id",
        string="Photos and Videos",
    )
    partner_latitude = fields.Float(string="Customer Latitude", digits=(10, 7))
    partner_longitude = fields.Float(string="Customer Longitude", digits=(10, 7))
    repair_ids = fields.One2many("repair.order", "aftersales_request_line_id", string="Service Orders")
    repair_id = fields.Many2one(
        "repair.order",
        string="Service Order",
        compute="_compute_repair_id",
        store=True,
        index="btree_not_null",
        copy=False,
    )
    repair_state = fields.Selection(related="repair_id.state", string="Order Status")

    @api.depends("request_id.service_type_id")
    def _compute_service_type_id(self):
        for line in self:
            line.service_type_id = line.request_id.service_type_id or line.service_type_id

    @api.depends("repair_ids")
    def _compute_repair_id(self):
        for line in self:
            line.repair_id = line.repair_ids[:1]

    @api.onchange("code")
    def _onchange_code(self):
        """Typing a code in the line list resolves it like the scan field does."""
        if not self.code or not self.request_id.partner_id:
            return None
        request = self.request_id
        others = request.line_ids - self
        vals_list, errors = request._prepare_unit_lines(
            [{"line_no": len(request.line_ids), "code": self.code}], pending_lines=others
        )
        if errors:
            return {"warning": {"title": self.env._("Unit not found"), "message": errors[0]["reason"]}}
        vals = vals_list[0]
        vals.pop("request_id", None)
        vals.pop("failure_description", None)
        self.update(vals)
        return None

    @api.model_create_multi
    def create(self, vals_list):
        self._check_warranty_claims(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._check_warranty_claims([vals], lines=self)
        return super().write(vals)

    @api.model
    def _check_warranty_claims(self, vals_list, lines=None):
        """A user's line claims a warranty only with the card that covers its unit today.

        The warranty facts come from the lookup (scan, typed code, batch); a client could send any
        value over RPC and have the parts of a paid repair booked as warranty. Superuser code and
        after-sales managers (who may grant a goodwill warranty) are trusted.
        """
        if self.env.su or self.env.user.has_group(MANAGER_GROUP):
            return
        claims = [vals for vals in vals_list if {"under_warranty", "warranty_id", "lot_id"} & set(vals)]
        if not claims:
            return
        lines = lines if lines is not None else self.browse()
        # sudo: checking the claim against the card, whoever may read it; the cards of a batch of
        # lines are read at once
        Warranty = self.env["aftersales.warranty"].sudo()
        cards = Warranty.browse({vals["warranty_id"] for vals in claims if vals.get("warranty_id")}).exists()
        cards |= lines.sudo().warranty_id
        card_of = {card.id: card for card in cards}
        for vals in claims:
            for line in lines or [self.browse()]:
                card_id = vals["warranty_id"] if "warranty_id" in vals else line.sudo().warranty_id.id
                card = card_of.get(card_id, Warranty)
                lot_id = vals["lot_id"] if "lot_id" in vals else line.lot_id.id
                claimed = vals["under_warranty"] if "under_warranty" in vals else line.under_warranty
                if (claimed and not card.under_warranty) or (card and lot_id and card.lot_id.id != lot_id):
                    raise AccessError(
                        self.env._(
                            "The warranty of %(unit)s comes from its warranty card: scan or type the unit's code "
                            "again; only an after-sales manager may grant a warranty by hand.",
                            unit=vals.get("code") or line.code or self.env._("this unit"),
                        )
                    )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_ordered(self):
        ordered = self.filtered("repair_id")
        if ordered:
            raise UserError(
                self.env._(
                    "These units already have a service order and cannot be removed: %(codes)s",
                    codes=", ".join(ordered.mapped("display_name")),
                )
            )

    @api.depends("code", "product_id", "lot_id")
    def _compute_display_name(self):
        for line in self:
            line.display_name = line.lot_id.name or line.code or line.product_id.display_name or ""

    def action_create_service_order(self):
        orders = self._create_service_orders()
        if len(orders) == 1:
            return {
                "type": "ir.actions.act_window",
                "res_model": "repair.order",
                "view_mode": "form",
                "res_id": orders.id,
            }
        return True

    def _create_service_orders(self):
        """Create one service order per line, in one batch."""
        if not self:
            return self.env["repair.order"]
        not_received = self.filtered(lambda line: line.request_id.state not in ("received", "in_service"))
        if not_received:
            raise UserError(
                self.env._(
                    "Receive the request before creating service orders: %(names)s",
                    names=", ".join(not_received.request_id.mapped("name")),
                )
            )
        already = self.filtered("repair_id")
        if already:
            raise UserError(
                self.env._(
                    "These units already have a service order: %(codes)s",
                    codes=", ".join(already.mapped("display_name")),
                )
            )
        return self.env["repair.order"].create([line._prepare_repair_vals() for line in self])

    def _prepare_repair_vals(self):
        """Values of the service order (``repair.order``) created for this unit.

        Invoked by ``_create_service_orders`` (receipt of the request, *Create Service Orders*) once per
        line, before the orders are created in one batch. Integrators override it (with ``super()``) to
        add or change values; ``repair.order.create`` then completes them
        (``_prepare_aftersales_create_vals``: warranty lookup, operation type).
        """
        self.ensure_one()
        request = self.request_id
        centre = request.service_centre_id
        priority = request.priority_id or self.service_type_id.default_priority_id
        vals = {
            "is_aftersales": True,
            "aftersales_request_line_id": self.id,
            "company_id": request.company_id.id,
            "partner_id": request.partner_id.id,
            "product_id": self.product_id.id,
            "product_qty": 1.0,
            "product_uom": self.product_id.uom_id.id,
            "lot_id": self.lot_id.id,
            "warranty_id": self.warranty_id.id,
            "under_warranty": self.under_warranty,
            "service_type_id": self.service_type_id.id,
            "order_type_id": (request.order_type_id or self.service_type_id.default_order_type_id).id,
            "service_priority_id": priority.id,
            "priority": "1" if priority.level >= 2 else "0",
            "service_centre_id": centre.id,
            "failure_mode_id": self.failure_mode_id.id,
            "failure_cause_id": self.failure_cause_id.id,
            "failure_agent_id": self.failure_agent_id.id,
        }
        if centre.warehouse_id.repair_type_id:
            vals["picking_type_id"] = centre.warehouse_id.repair_type_id.id
        return vals

    @api.model
    def _warranty_reason(self, result):
        """Human text explaining the warranty status of a lookup result."""
        _ = self.env._
        if result.get("message"):
            return result["message"]
        if not result.get("warranty_id"):
            return _("No warranty registered for this unit.")
        if result.get("under_warranty"):
            return _("Under warranty until %(date)s.", date=result.get("date_end"))
        return _(
            "Warranty not valid (status %(state)s, ends %(date)s).",
            state=result.get("state"),
            date=result.get("date_end"),
        )
