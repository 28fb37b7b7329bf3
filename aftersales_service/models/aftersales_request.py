from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import split_every

from odoo.addons.aftersales_warranty.tools import normalize_code, reader_direction
from odoo.addons.web_jalali.tools import format_reader_date

from ..tools.public_api import MAX_API_CODES, ApiRollback

OPEN_REQUEST_STATES = ("draft", "received", "in_service")
# units of a batch created at a time (see _add_unit_entries)
ADD_UNITS_CHUNK = 5000


# What a customer reads of their request, in the order it progresses (see _compute_customer_status).
CUSTOMER_STATUSES = [
    ("received", "Received"),
    ("assigned", "Technician Assigned"),
    ("on_the_way", "Technician on the Way"),
    ("in_repair", "In Repair"),
    ("waiting_parts", "Waiting for Parts"),
    ("ready", "Ready"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
]


class AftersalesRequest(models.Model):
    _name = "aftersales.request"
    _description = "After-Sales Service Request"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "create_date desc, id desc"
    _check_company_auto = True

    def _default_user_id(self):
        # the website, the agents' portal and the SMS webhook file requests for visitors (portal or public
        # users) or as the system: nobody of the staff received them
        user = self.env.user
        return user if not user.share and not user._is_superuser() else self.env["res.users"]

    def _default_counter_id(self):
        return self.env["aftersales.counter"].search(
            [("user_ids", "in", self.env.uid), ("company_id", "in", self.env.companies.ids)], limit=1
        )

    def _default_service_centre(self):
        """Centre of the receiving user: that of their employee in the request's company, else the
        company's only centre."""
        company = self.company_id or self.env.company
        # sudo: staff without HR rights may not read employees; only the receiver's centre is taken
        employee = self.user_id.sudo().employee_ids.filtered(lambda emp: emp.company_id == company)[:1]
        centre = employee.service_centre_id.sudo(False)
        if not centre:
            centres = self.env["aftersales.service.centre"].search([("company_id", "=", company.id)], limit=2)
            centre = centres if len(centres) == 1 else centres.browse()
        return centre

    name = fields.Char(
        string="Reference",
        required=True,
        copy=False,
        readonly=True,
        index="trigram",
        default=lambda self: self.env._("New"),
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    partner_phone = fields.Char(related="partner_id.phone", string="Phone")
    channel = fields.Selection(
        [
            ("counter", "Reception Counter"),
            ("phone", "Phone"),
            ("email", "Email"),
            ("agent", "Agent"),
            ("portal", "Portal"),
            ("sms", "SMS"),
        ],
        required=True,
        default="counter",
        tracking=True,
        index=True,
    )
    service_centre_id = fields.Many2one(
        "aftersales.service.centre",
        compute="_compute_service_centre_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    counter_id = fields.Many2one(
        "aftersales.counter",
        string="Reception Counter",
        default=_default_counter_id,
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain="[('service_centre_id', '=?', service_centre_id)]",
    )
    agent_id = fields.Many2one(
        "res.partner",
        index="btree_not_null",
        tracking=True,
        help="Dealer or agent who filed the request on behalf of the customer.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Received By",
        default=lambda self: self._default_user_id(),
        tracking=True,
        index=True,
        help="The employee who took the request in; empty for requests that came in by themselves (website, "
        "agents' portal, SMS).",
    )
    service_type_id = fields.Many2one("aftersales.service.type", required=True, tracking=True, index=True)
    order_type_id = fields.Many2one(
        "aftersales.order.type",
        compute="_compute_order_type_id",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
    )
    priority_id = fields.Many2one(
        "aftersales.priority",
        compute="_compute_priority_id",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
    )
    description = fields.Html()
    line_ids = fields.One2many("aftersales.request.line", "request_id", string="Units", copy=False)
    line_count = fields.Integer(compute="_compute_line_count", string="Units Count")
    repair_ids = fields.One2many("repair.order", "aftersales_request_id", string="Service Orders")
    repair_count = fields.Integer(compute="_compute_repair_count", string="Service Orders Count")
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("received", "Received"),
            ("in_service", "In Service"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
        # kanban columns and groups in the workflow's order (Draft, Received, In Service...), all shown
        group_expand=True,
        help="* Draft: being registered, units can be added.\n"
        "* Received: the units were accepted at reception.\n"
        "* In Service: at least one service order is confirmed or in progress.\n"
        "* Done: every service order is finished or cancelled.\n"
        "* Cancelled: the request was withdrawn.",
    )
    customer_status = fields.Selection(
        CUSTOMER_STATUSES,
        compute="_compute_customer_status",
        string="Status for the Customer",
        help="What the customer reads on the portal and in messages, from the service orders of the request: "
        "received, technician assigned, technician on the way, in repair, waiting for parts, ready, done or "
        "cancelled.",
    )
    date_received = fields.Datetime(readonly=True, copy=False, tracking=True, index=True)
    date_done = fields.Datetime(readonly=True, copy=False, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    scan_code = fields.Char(
        string="Scan",
        store=False,
        help="Type or scan a warranty serial, product serial or product code and press Enter: "
        "the unit is found and added as a line.",
    )

    # ------------------------------------------------------------ computes

    @api.depends("counter_id")
    def _compute_service_centre_id(self):
        for request in self:
            centre = request.counter_id.service_centre_id or request.service_centre_id
            if not centre and request.user_id:
                # taken in by a member of the staff without a desk: the centre they work at
                centre = request._default_service_centre()
            request.service_centre_id = centre

    @api.depends("service_type_id")
    def _compute_order_type_id(self):
        for request in self:
            request.order_type_id = request.service_type_id.default_order_type_id or request.order_type_id

    @api.depends("service_type_id")
    def _compute_priority_id(self):
        for request in self:
            request.priority_id = request.service_type_id.default_priority_id or request.priority_id

    @api.depends("line_ids")
    def _compute_line_count(self):
        rows = self.env["aftersales.request.line"]._read_group(
            [("request_id", "in", self.ids)], ["request_id"], ["__count"]
        )
        counts = {request.id: count for request, count in rows}
        for request in self:
            request.line_count = counts.get(request.id, 0)

    @api.depends("repair_ids")
    def _compute_repair_count(self):
        rows = self.env["repair.order"]._read_group(
            [("aftersales_request_id", "in", self.ids)], ["aftersales_request_id"], ["__count"]
        )
        counts = {request.id: count for request, count in rows}
        for request in self:
            request.repair_count = counts.get(request.id, 0)

    @api.depends(
        "state",
        "repair_ids.state",
        "repair_ids.technician_id",
        "repair_ids.date_accepted",
        "repair_ids.waiting_reason",
    )
    def _compute_customer_status(self):
        rank = {status: index for index, (status, dummy) in enumerate(CUSTOMER_STATUSES)}
        for request in self:
            orders = request.repair_ids
            if request.state == "cancelled" or (orders and set(orders.mapped("state")) == {"cancel"}):
                request.customer_status = "cancelled"
            elif request.state == "done":
                request.customer_status = "done"
            else:
                # the most advanced of the units' orders: the customer hears of the latest progress
                statuses = [order._aftersales_customer_status() for order in orders if order.state != "cancel"]
                request.customer_status = max(statuses or ["received"], key=rank.__getitem__)

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for request in self:
            request.access_url = f"/my/service-requests/{request.id}"
        return res

    # ------------------------------------------------------------ onchange

    @api.onchange("scan_code")
    def _onchange_scan_code(self):
        if not self.scan_code:
            return None
        code = self.scan_code
        self.scan_code = False
        warning = None
        if not self.line_ids:
            # scanning first: the card knows its customer, a code alone starts the request
            owner = self._scan_code_owner(code)
            if owner and not self.partner_id:
                self.partner_id = owner
            elif owner and owner.commercial_partner_id != self.partner_id.commercial_partner_id:
                warning = {
                    "title": self.env._("Customer changed"),
                    "message": self.env._(
                        "%(code)s belongs to %(owner)s, not to %(customer)s: the request is now for %(owner)s. "
                        "Choose the customer again if this is not right.",
                        code=code,
                        owner=owner.display_name,
                        customer=self.partner_id.display_name,
                    ),
                }
                self.partner_id = owner
        if not self.partner_id:
            return {
                "warning": {
                    "title": self.env._("Customer missing"),
                    "message": self.env._(
                        "%(code)s is not on a customer's warranty card: choose the customer, then scan it again.",
                        code=code,
                    ),
                }
            }
        vals_list, errors = self._prepare_unit_lines([{"line_no": 1, "code": code}], pending_lines=self.line_ids)
        if errors:
            return {
                "warning": {
                    "title": self.env._("Unit not added"),
                    "message": errors[0]["reason"],
                }
            }
        for vals in vals_list:
            vals.pop("request_id", None)
            vals["sequence"] = len(self.line_ids) + 1
        self.line_ids = [Command.create(vals) for vals in vals_list]
        return {"warning": warning} if warning else None

    # ------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # a new request reads "New" in its user's language until it gets its reference
            if vals.get("name") in (None, False, "New", self.env._("New")):
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                vals["name"] = self.env["ir.sequence"].with_company(company).next_by_code("aftersales.request") or "New"
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_processed(self):
        processed = self.filtered(lambda request: request.state not in ("draft", "cancelled"))
        if processed:
            raise UserError(
                self.env._(
                    "Only draft or cancelled requests can be deleted. Cancel these first: %(names)s",
                    names=", ".join(processed.mapped("name")),
                )
            )

    # ------------------------------------------------------------ actions

    def action_receive(self):
        """Accept the units: draft -> received, then create the service orders of the lines
        whose service type creates them on receipt."""
        wrong_state = self.filtered(lambda request: request.state != "draft")
        if wrong_state:
            raise UserError(
                self.env._(
                    "Only draft requests can be received: %(names)s",
                    names=", ".join(wrong_state.mapped("name")),
                )
            )
        empty = self.filtered(lambda request: not request.line_ids)
        if empty:
            raise UserError(
                self.env._(
                    "Add at least one unit before receiving: %(names)s",
                    names=", ".join(empty.mapped("name")),
                )
            )
        self.write({"state": "received", "date_received": fields.Datetime.now()})
        auto_lines = self.line_ids.filtered(
            lambda line: not line.repair_id and line.service_type_id.order_creation == "on_receipt"
        )
        auto_lines._create_service_orders()
        return True

    def action_cancel(self):
        done = self.filtered(lambda request: request.state == "done")
        if done:
            raise UserError(
                self.env._(
                    "Finished requests cannot be cancelled: %(names)s",
                    names=", ".join(done.mapped("name")),
                )
            )
        orders = self.repair_ids.filtered(lambda order: order.state not in ("done", "cancel"))
        if orders.filtered(lambda order: order.state == "under_repair"):
            raise UserError(
                self.env._(
                    "These service orders are in progress; finish or cancel them first: %(names)s",
                    names=", ".join(orders.filtered(lambda o: o.state == "under_repair").mapped("name")),
                )
            )
        orders.action_repair_cancel()
        self.write({"state": "cancelled"})
        return True

    def action_draft(self):
        not_cancelled = self.filtered(lambda request: request.state != "cancelled")
        if not_cancelled:
            raise UserError(
                self.env._(
                    "Only cancelled requests can be reset to draft: %(names)s",
                    names=", ".join(not_cancelled.mapped("name")),
                )
            )
        self.write({"state": "draft", "date_received": False})
        return True

    def action_add_scanned_code(self):
        """Button next to the scan field (saved requests): resolve the code and append a line."""
        self.ensure_one()
        code = self.scan_code
        if not code:
            raise UserError(self.env._("Type or scan a code first."))
        self._add_unit_codes([code])
        return True

    def action_open_add_units(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Add Units"),
            "res_model": "aftersales.request.add.units",
            "view_mode": "form",
            "target": "new",
            "context": {"default_request_id": self.id},
        }

    def action_view_service_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("aftersales_service.repair_order_action_aftersales")
        action["domain"] = [("aftersales_request_id", "=", self.id)]
        action["context"] = {"default_is_aftersales": True, "create": False}
        if self.repair_count == 1:
            action.update({"view_mode": "form", "views": [(False, "form")], "res_id": self.repair_ids.id})
        return action

    def action_print_receipt(self):
        return self.env.ref("aftersales_service.action_report_aftersales_request_receipt").report_action(self)

    # ------------------------------------------------------------ business

    def _add_unit_codes(self, codes):
        """Resolve codes one call at a time and append one line each (the line-by-line path).

        Raises a UserError naming the first bad code; nothing is added for it.
        """
        self.ensure_one()
        self._check_can_add_units()
        lines = self.env["aftersales.request.line"]
        for code in codes:
            vals_list, errors = self._prepare_unit_lines(
                [{"line_no": len(self.line_ids) + 1, "code": code}], check_open=True
            )
            if errors:
                raise UserError(errors[0]["reason"])
            lines |= self.env["aftersales.request.line"].create(vals_list)
        return lines

    def _add_unit_entries(self, entries):
        """Resolve many entries at once (the batch path): one lookup, one create.

        :param entries: list of dicts with ``line_no``, ``code`` and optionally
            ``failure_description``.
        :return: ``(lines, errors)``; when ``errors`` is not empty nothing was created.
        """
        self.ensure_one()
        self._check_can_add_units()
        vals_list, errors = self._prepare_unit_lines(entries, check_open=True)
        if errors:
            return self.env["aftersales.request.line"], errors
        start = len(self.line_ids)
        for index, vals in enumerate(vals_list, start=1):
            vals["sequence"] = start + index
        # created ADD_UNITS_CHUNK at a time, each chunk written and dropped from the cache before the next:
        # the same cost per unit at 100,000 units as at 10,000 (one create of 100,000 lines kept them all,
        # with their computed fields and company checks, in one cache). Still one transaction: a failure
        # in a later chunk takes back the earlier ones with it (a savepoint: whoever catches the error).
        Line = self.env["aftersales.request.line"]
        line_ids = []
        with self.env.cr.savepoint():
            for chunk in split_every(ADD_UNITS_CHUNK, vals_list, list):
                line_ids += Line.create(chunk).ids
                if len(vals_list) > ADD_UNITS_CHUNK:
                    self.env.flush_all()
                    self.env.invalidate_all()
        return Line.browse(line_ids), []

    def _job_add_unit_entries(self, entries):
        """Background job of the batch wizard: add all units or none, report on the request."""
        self.ensure_one()
        lines, errors = self._add_unit_entries(entries)
        if errors:
            body = Markup("<p>%s</p><ul>%s</ul>") % (
                self.env._("No unit was added: %(count)s lines are wrong.", count=len(errors)),
                Markup().join(Markup("<li>%s</li>") % error["reason"] for error in errors),
            )
            self.message_post(body=body)
            return self.env._("%(count)s bad lines, nothing added", count=len(errors))
        self.message_post(body=self.env._("%(count)s units added.", count=len(lines)))
        return self.env._("%(count)s units added", count=len(lines))

    def _check_can_add_units(self):
        closed = self.filtered(lambda request: request.state not in ("draft", "received"))
        if closed:
            raise UserError(
                self.env._(
                    "Units can only be added to draft or received requests: %(names)s",
                    names=", ".join(closed.mapped("name")),
                )
            )

    def _prepare_unit_lines(self, entries, pending_lines=None, check_open=True):
        """Resolve codes with one ``lookup_many`` call and validate every entry.

        :param entries: list of dicts ``{'line_no': int, 'code': str, 'failure_description': str}``
        :param pending_lines: request lines not saved yet (form onchange) to check duplicates against
        :return: ``(vals_list, errors)``; errors are dicts ``{'line_no', 'code', 'reason'}``
        """
        self.ensure_one()
        _ = self.env._
        errors = []
        clean = []
        for entry in entries:
            code = (entry.get("code") or "").strip()
            key = normalize_code(code) if code else ""
            if not key:
                continue
            clean.append(dict(entry, code=code, key=key))
        if not clean:
            return [], errors
        results = self.env["aftersales.warranty"].lookup_many(
            list(dict.fromkeys(entry["key"] for entry in clean)), partner_id=self.partner_id.id
        )

        # serials already taken: lines of open requests (saved) and unsaved lines of this form
        lot_ids = {self._as_id(result.get("lot_id")) for result in results.values() if result.get("lot_id")}
        taken = {}
        if lot_ids and check_open:
            domain = [("lot_id", "in", list(lot_ids)), ("request_state", "in", OPEN_REQUEST_STATES)]
            for row in self.env["aftersales.request.line"].sudo().search_read(domain, ["lot_id", "request_id"]):
                taken[row["lot_id"][0]] = row["request_id"][1]
        pending_lots = {}
        for line in pending_lines or []:
            if line.lot_id:
                pending_lots[line.lot_id.id] = line.code or line.lot_id.name

        partner_ids = {self._as_id(result.get("partner_id")) for result in results.values() if result.get("partner_id")}
        commercial = {
            partner.id: partner.commercial_partner_id
            for partner in self.env["res.partner"].sudo().browse(list(partner_ids))
        }

        context = {
            # owners and other customers' requests are named to internal users only (they may read
            # partners anyway); portal agents filing through the website learn nothing of them
            "disclose": self.env.user._is_internal(),
            "customer": self.partner_id.commercial_partner_id,
            "commercial": commercial,
            "taken": taken,
            "pending_lots": pending_lots,
            "seen_codes": {},
            "seen_lots": {},
        }
        vals_list = []
        for entry in clean:
            result = results.get(entry["key"]) or {"status": "not_found"}
            reason = self._check_unit_entry(entry, result, context)
            context["seen_codes"].setdefault(entry["key"], entry["line_no"])
            if reason:
                errors.append({"line_no": entry["line_no"], "code": entry["code"], "reason": reason})
                continue
            lot_id = self._as_id(result.get("lot_id"))
            if lot_id:
                context["seen_lots"][lot_id] = entry["line_no"]
            vals_list.append(self._prepare_line_vals_from_lookup(entry["code"], result, entry))
        return vals_list, errors

    def _check_unit_entry(self, entry, result, context):
        """Return why an entry cannot be added (translated text naming its line), or False."""
        _ = self.env._
        line, code = entry["line_no"], entry["code"]
        lot_id = self._as_id(result.get("lot_id"))
        owner = context["commercial"].get(self._as_id(result.get("partner_id")))
        if entry["key"] in context["seen_codes"] and result.get("match") != "product_code":
            first = context["seen_codes"][entry["key"]]
            return _("Line %(line)s: %(code)s is a duplicate of line %(first)s.", line=line, code=code, first=first)
        if result.get("status") == "not_found" and not (
            result.get("match") == "product_code" and result.get("product_id")
        ):
            # a product code without a warranty card is still a unit to receive (out of warranty)
            return _(
                "Line %(line)s: %(code)s is not a known warranty serial, product serial or product code.",
                line=line,
                code=code,
            )
        if result.get("status") == "ambiguous":
            return _("Line %(line)s: %(code)s matches several units; scan the serial instead.", line=line, code=code)
        if owner and context["customer"] and owner != context["customer"]:
            if not context.get("disclose"):
                return _("Line %(line)s: %(code)s is not available.", line=line, code=code)
            return _(
                "Line %(line)s: %(code)s belongs to another customer (%(owner)s).",
                line=line,
                code=code,
                owner=owner.display_name,
            )
        if lot_id and lot_id in context["seen_lots"]:
            first = context["seen_lots"][lot_id]
            return _("Line %(line)s: %(code)s is the same unit as line %(first)s.", line=line, code=code, first=first)
        if lot_id and lot_id in context["pending_lots"]:
            return _("Line %(line)s: %(code)s is already on this request.", line=line, code=code)
        if lot_id and lot_id in context["taken"]:
            if not context.get("disclose"):
                return _("Line %(line)s: %(code)s is not available.", line=line, code=code)
            return _(
                "Line %(line)s: %(code)s is already in the open request %(request)s.",
                line=line,
                code=code,
                request=context["taken"][lot_id],
            )
        return False

    def _prepare_line_vals_from_lookup(self, code, result, entry=None):
        entry = entry or {}
        return {
            "request_id": self.id,
            "service_type_id": self.service_type_id.id,
            "code": code,
            "match": result.get("match") or False,
            "product_id": self._as_id(result.get("product_id")),
            "lot_id": self._as_id(result.get("lot_id")),
            "warranty_id": self._as_id(result.get("warranty_id")),
            "under_warranty": bool(result.get("under_warranty")),
            "warranty_reason": self.env["aftersales.request.line"]._warranty_reason(result),
            "failure_description": entry.get("failure_description") or False,
        }

    def _get_receipt_date_display(self):
        """Reception date for the receipt, as its reader (language of the context) reads it: Jalali
        with the Gregorian date alongside for a Persian reader, since the receipt leaves the company;
        the language's own format otherwise."""
        self.ensure_one()
        return format_reader_date(self.env, self.date_received or self.create_date, with_gregorian=True)

    def _get_receipt_direction(self):
        """Writing direction of the customer's language (``'rtl'`` for Persian), for the receipt."""
        self.ensure_one()
        return reader_direction(self.env, self.partner_id.lang)

    def _scan_code_owner(self, code):
        """Customer on the warranty card a scanned code leads to (warranty or product serial), or an
        empty recordset. Cards the user may not read are not answered by the lookup."""
        key = normalize_code(code or "")
        if not key:
            return self.env["res.partner"]
        result = self.env["aftersales.warranty"].lookup_many([key]).get(key) or {}
        if result.get("status") != "found" or not result.get("partner_id"):
            return self.env["res.partner"]
        return self.env["res.partner"].browse(self._as_id(result["partner_id"]))

    @staticmethod
    def _as_id(value):
        """Lookup results carry ids; accept a record too."""
        if not value:
            return False
        if isinstance(value, models.BaseModel):
            return value.id
        if isinstance(value, list | tuple):
            return value[0]
        return value

    def _sync_state_from_orders(self):
        """Derive the request state from its service orders (called when an order changes state)."""
        to_service = self.env["aftersales.request"]
        to_done = self.env["aftersales.request"]
        for request in self.filtered(lambda r: r.state in ("received", "in_service", "done")):
            orders = request.repair_ids
            if not orders:
                continue
            states = set(orders.mapped("state"))
            all_lines_ordered = all(line.repair_id for line in request.line_ids)
            if all_lines_ordered and states <= {"done", "cancel"} and "done" in states:
                if request.state != "done":
                    to_done |= request
            elif states & {"confirmed", "under_repair", "done"} and request.state != "in_service":
                to_service |= request
        if to_service:
            to_service.write({"state": "in_service", "date_done": False})
        if to_done:
            to_done.write({"state": "done", "date_done": fields.Datetime.now()})

    # ------------------------------------------------------------ public API (RPC)

    def add_units(self, codes):
        """Add units to this request from their codes (card number or serial), all or none.

        Who: users who may edit the request (reception, dispatchers, managers), while it is draft or
        received.

        :param codes: list of codes (strings), or one code
        :return: ``{"line_ids": [ids of the created lines], "errors": [{"line_no", "code", "reason"}]}``;
            when ``errors`` is not empty nothing was added
        """
        self.ensure_one()
        self.check_access("write")
        entries = self._api_entries(codes)
        lines, errors = self._add_unit_entries(entries)
        return {"line_ids": lines.ids, "errors": [self._api_error(error) for error in errors]}

    @api.model
    def api_create_request(self, partner_id, codes, values=None):
        """Open a request for a customer with one or many codes, in one call.

        Who: users who may create requests (reception, dispatchers, managers).

        :param partner_id: id of the customer
        :param codes: list of codes (card numbers or serials)
        :param values: optional other request values (e.g. ``description``, ``service_centre_id``)
        :return: ``{"request_id": id or False, "name": str or False, "line_ids": [...], "errors": [...]}``;
            when ``errors`` is not empty nothing was created
        """
        if values and not isinstance(values, dict):
            raise UserError(self.env._("Give the other request values as a dictionary."))
        vals = dict(values or {})
        protected = {"state", "date_received", "line_ids", "name"} & set(vals)
        if protected:
            raise UserError(
                self.env._("These fields cannot be given here: %(fields)s", fields=", ".join(sorted(protected)))
            )
        partner = self.env["res.partner"].browse(self._as_id(partner_id)).exists()
        if not partner:
            raise UserError(self.env._("Choose an existing customer."))
        entries = self._api_entries(codes)
        if not entries:
            raise UserError(self.env._("Type or scan a code first."))
        vals["partner_id"] = partner.id
        result = {}
        try:
            with self.env.cr.savepoint():
                request = self.create(vals)
                lines, errors = request._add_unit_entries(entries)
                result = {"request_id": request.id, "name": request.name, "line_ids": lines.ids, "errors": []}
                if errors:
                    result = {
                        "request_id": False,
                        "name": False,
                        "line_ids": [],
                        "errors": [self._api_error(error) for error in errors],
                    }
                    raise ApiRollback()
        except ApiRollback:
            self.env.invalidate_all()
        return result

    def api_receive(self):
        """Receive this draft request and create the service orders of all its units.

        Who: users who may edit the request and create service orders (reception, dispatchers).

        :return: ``{"state": str, "repair_ids": [ids of the request's service orders]}``
        """
        self.ensure_one()
        self.check_access("write")
        if self.state == "draft":
            self.action_receive()
        self.line_ids.filtered(lambda line: not line.repair_id)._create_service_orders()
        return {"state": self.state, "repair_ids": self.repair_ids.ids}

    @api.model
    def _api_entries(self, codes):
        if isinstance(codes, str):
            codes = [codes]
        if not isinstance(codes, list | tuple) or not all(isinstance(code, str) for code in codes):
            raise UserError(self.env._("Give the codes as a list of texts."))
        if len(codes) > MAX_API_CODES:
            raise UserError(self.env._("Give at most %(count)s codes per call.", count=MAX_API_CODES))
        return [{"line_no": index, "code": code.strip()} for index, code in enumerate(codes, start=1)]

    @api.model
    def _api_error(self, error):
        return {"line_no": error.get("line_no") or 0, "code": error.get("code") or "", "reason": str(error["reason"])}
