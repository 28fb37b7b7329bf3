from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.aftersales_warranty.tools import normalize_code, reader_direction
from odoo.addons.web_jalali.tools import format_reader_date

from ..tools.protected_fields import MANAGER_GROUP, check_protected_fields

# Warranty fields: protected on after-sales orders only (Odoo's own repairs keep editing ``under_warranty``).
WARRANTY_FIELDS = ("warranty_id", "under_warranty")


class RepairOrder(models.Model):
    _inherit = "repair.order"

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

    # Workflow, dispatch, SLA and warranty fields of after-sales orders (this addon's files): only the action
    # methods change them (assignment wizard and dispatch engine, accept, start/finish, on-my-way, decline),
    # as superuser after their own checks. A direct write by anyone but an after-sales manager is refused,
    # and so is a create that sets the read-only ones. Native fields (``state``...) are not listed: the
    # native repair flow keeps its own rules.
    _aftersales_protected_fields = (
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
        "dispatch_state",
        "dispatch_offer_date",
        "dispatch_declined_technician_ids",
        "date_on_the_way",
        "eta_date",
        "travel_distance_km",
        "sla_policy_id",
        "sla_start_date",
        "sla_status",
        "sla_escalation_level",
    )

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
        readonly = [name for name in self._aftersales_protected_fields if self._fields[name].readonly]
        for vals in vals_list:
            check_protected_fields(self, vals, readonly)
        self._prepare_aftersales_create_vals(vals_list)
        now = fields.Datetime.now()
        for vals in vals_list:
            if vals.get("technician_id"):
                vals.setdefault("date_assigned", now)
        orders = super().create(vals_list)
        orders.filtered("technician_id")._notify_technician()
        return orders

    def write(self, vals):
        vals, relookup = self._aftersales_check_protected_write(vals)
        previous = {}
        if "technician_id" in vals:
            previous = {order.id: order.technician_id.id for order in self}
            if vals["technician_id"]:
                vals = dict(vals, date_assigned=fields.Datetime.now(), date_accepted=False)
            else:
                vals = dict(vals, date_assigned=False, date_accepted=False)
        res = super().write(vals)
        if vals.get("technician_id"):
            self.filtered(lambda order: previous.get(order.id) != order.technician_id.id)._notify_technician()
        if "state" in vals:
            # the request state is derived from its orders; technicians may not write requests
            self.aftersales_request_id.sudo()._sync_state_from_orders()
        if relookup:
            relookup._aftersales_refresh_warranty()
        return res

    def _aftersales_check_protected_write(self, vals):
        """Refuse the direct write of protected fields (see ``_aftersales_protected_fields``).

        The warranty fields of an after-sales order follow its serial: when a non-manager changes the serial,
        the values the form's onchange sent are replaced by the warranty lookup done here. Return the values
        to write and the orders whose warranty must be looked up after the write.
        """
        relookup = self.browse()
        if self.env.su or self.env.user.has_group(MANAGER_GROUP):
            return vals, relookup
        protected = list(self._aftersales_protected_fields)
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

    def _aftersales_customer_status(self):
        """Where this order stands for its customer (a key of the request's customer statuses)."""
        self.ensure_one()
        if self.state == "done":
            return "ready"
        if self.state == "under_repair":
            return "waiting_parts" if self.waiting_reason == "parts" else "in_repair"
        if self.date_on_the_way:
            return "on_the_way"
        if self.technician_id and self.dispatch_state == "accepted":
            # an offer the technician has not taken yet is no news for the customer
            return "assigned"
        return "received"

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
        res = super().action_repair_done()
        # the native step above ran with the caller's rights: stamp as superuser
        self.filtered(
            lambda order: order.is_aftersales and order.state == "done" and not order.date_finished
        ).sudo().write({"date_finished": fields.Datetime.now()})
        return res

    def action_view_aftersales_request(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "aftersales.request",
            "view_mode": "form",
            "res_id": self.aftersales_request_id.id,
        }

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

    def _notify_technician(self):
        """Tell each technician about the order: a to-do activity for their user, an email,
        and they follow the order."""
        template = self.env.ref("aftersales_service.mail_template_repair_technician_assigned", raise_if_not_found=False)
        for order in self:
            technician = order.technician_id
            user = technician.user_id
            partner = technician.work_contact_id or user.partner_id
            if partner:
                order.message_subscribe(partner_ids=partner.ids)
            if user:
                order.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=user.id,
                    summary=self.env._("New service order %(name)s", name=order.name),
                    note=self.env._(
                        "You were assigned to %(name)s for %(customer)s.",
                        name=order.name,
                        customer=order.partner_id.display_name or "",
                    ),
                )
        if template:
            with_email = self.filtered(
                lambda order: order.technician_id.work_email or order.technician_id.user_id.email
            )
            if with_email:
                template.send_mail_batch(with_email.ids)

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
