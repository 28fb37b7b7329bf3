from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare, float_is_zero


class AftersalesWorklogPart(models.Model):
    _name = "aftersales.worklog.part"
    _description = "Worklog Part Line"
    _order = "worklog_id, sequence, id"
    _check_company_auto = True

    worklog_id = fields.Many2one(
        "aftersales.worklog", required=True, index=True, ondelete="cascade", check_company=True
    )
    repair_id = fields.Many2one(related="worklog_id.repair_id", store=True, index=True)
    company_id = fields.Many2one(related="worklog_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    line_type = fields.Selection(
        [
            ("add", "Consumed"),
            ("remove", "Removed: to Scrap"),
            ("recycle", "Removed: Returned to Stock"),
        ],
        string="Type",
        default="add",
        required=True,
        help="Consumed parts leave the source location for the order; removed parts go to the scrap "
        "location or back to stock. They become the order's parts lines of the same type on approval.",
    )
    product_id = fields.Many2one(
        "product.product",
        string="Part",
        required=True,
        index=True,
        check_company=True,
        domain="[('type', '=', 'consu')]",
    )
    product_uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    quantity = fields.Float(default=1.0, required=True, digits="Product Unit of Measure")
    location_id = fields.Many2one(
        "stock.location",
        string="Source Location",
        compute="_compute_location_id",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        domain="[('usage', '=', 'internal')]",
        help="Where a consumed part is taken from: the technician's van or a warehouse location.",
    )
    available_qty = fields.Float(string="Available", compute="_compute_available_qty", digits="Product Unit of Measure")
    move_id = fields.Many2one("stock.move", string="Stock Move", readonly=True, copy=False, index="btree_not_null")
    note = fields.Char()

    @api.depends("worklog_id.part_location_id", "line_type")
    def _compute_location_id(self):
        for line in self:
            if line.line_type != "add":
                line.location_id = False
            elif not line.location_id:
                line.location_id = line.worklog_id.part_location_id

    @api.depends("product_id", "location_id")
    def _compute_available_qty(self):
        available = self._get_available_quantities()
        for line in self:
            line.available_qty = available.get((line.product_id.id, line.location_id.id), 0.0)

    @api.constrains("quantity")
    def _check_quantity(self):
        for line in self:
            if float_compare(line.quantity, 0.0, precision_rounding=line.product_id.uom_id.rounding or 0.01) <= 0:
                raise ValidationError(
                    self.env._(
                        "Worklog %(worklog)s, part %(part)s: the quantity must be positive.",
                        worklog=line.worklog_id.name,
                        part=line.product_id.display_name,
                    )
                )

    @api.constrains("product_id", "line_type", "worklog_id")
    def _check_compatibility(self):
        for line in self.filtered(lambda part: part.line_type == "add"):
            device = line.worklog_id.product_id
            if device and not line.product_id.product_tmpl_id._aftersales_fits(device):
                raise ValidationError(
                    self.env._(
                        "Worklog %(worklog)s: the part %(part)s does not fit %(product)s.",
                        worklog=line.worklog_id.name,
                        part=line.product_id.display_name,
                        product=device.display_name,
                    )
                )

    @api.onchange("product_id", "location_id", "quantity")
    def _onchange_warn_unavailable(self):
        """Warn at once when the van (or the chosen location) lacks the part: the worklog could not be
        approved as it is; the technician may still record it (restock pending)."""
        if self.line_type != "add" or not self.product_id.is_storable or not self.location_id:
            return None
        have = self._get_available_quantities().get((self.product_id.id, self.location_id.id), 0.0)
        if float_compare(have, self.quantity, precision_rounding=self.product_id.uom_id.rounding or 0.01) >= 0:
            return None
        return {
            "warning": {
                "title": self.env._("Part not available"),
                "message": self.env._(
                    "Only %(have)s %(uom)s of %(part)s available in %(location)s (%(qty)s needed). Restock it "
                    "or choose another source location before the worklog is approved.",
                    have=have,
                    uom=self.product_id.uom_id.name,
                    part=self.product_id.display_name,
                    location=self.location_id.display_name,
                    qty=self.quantity,
                ),
            }
        }

    def _get_available_quantities(self):
        """Unreserved quantity per (product, location) over the consumed lines, sub-locations
        included: one grouped query per distinct source location."""
        result = {}
        lines = self.filtered(lambda part: part.line_type == "add" and part.product_id and part.location_id)
        Quant = self.env["stock.quant"]
        for location, loc_lines in lines.grouped("location_id").items():
            groups = Quant._read_group(
                [("product_id", "in", loc_lines.product_id.ids), ("location_id", "child_of", location.id)],
                ["product_id"],
                ["quantity:sum", "reserved_quantity:sum"],
            )
            for product, quantity, reserved in groups:
                result[(product.id, location.id)] = quantity - reserved
        return result

    def _get_availability_errors(self):
        """Messages for consumed parts missing from their source location."""
        errors = []
        lines = self.filtered(lambda part: part.line_type == "add")
        needed = defaultdict(float)
        for line in lines:
            if not line.location_id:
                errors.append(
                    self.env._(
                        "%(worklog)s: choose where the part %(part)s comes from.",
                        worklog=line.worklog_id.name,
                        part=line.product_id.display_name,
                    )
                )
                continue
            if line.product_id.is_storable:
                needed[(line.product_id, line.location_id)] += line.quantity
        available = lines._get_available_quantities()
        for (product, location), quantity in needed.items():
            have = available.get((product.id, location.id), 0.0)
            if float_compare(have, quantity, precision_rounding=product.uom_id.rounding) < 0:
                worklogs = lines.filtered(
                    lambda part, p=product, loc=location: part.product_id == p and part.location_id == loc
                )
                errors.append(
                    self.env._(
                        "%(worklog)s: %(qty)s %(uom)s of %(part)s needed but only %(have)s available in %(location)s.",
                        worklog=", ".join(worklogs.worklog_id.mapped("name")),
                        qty=quantity,
                        uom=product.uom_id.name,
                        part=product.display_name,
                        have=have,
                        location=location.display_name,
                    )
                )
        return errors

    def _create_repair_moves(self):
        """Turn approved part lines into the order's parts lines (native repair stock moves)."""
        lines = self.filtered(
            lambda part: not part.move_id
            and not float_is_zero(part.quantity, precision_rounding=part.product_id.uom_id.rounding)
        )
        if not lines:
            return self.env["stock.move"]
        vals_list = []
        for line in lines:
            vals = {
                "repair_id": line.repair_id.id,
                "repair_line_type": line.line_type,
                "product_id": line.product_id.id,
                "product_uom": line.product_id.uom_id.id,
                "product_uom_qty": line.quantity,
                "company_id": line.company_id.id,
                "aftersales_worklog_part_id": line.id,
            }
            if line.line_type == "add":
                vals["location_id"] = line.location_id.id
            vals_list.append(vals)
        moves = self.env["stock.move"].create(vals_list)
        for move in moves:
            move.aftersales_worklog_part_id.move_id = move
        moves.filtered(lambda m: m.state in ("confirmed", "partially_available"))._action_assign()
        return moves
