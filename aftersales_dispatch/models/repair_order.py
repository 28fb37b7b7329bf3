from collections import defaultdict
from datetime import datetime, timedelta

import pytz
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import create_index, format_datetime

from odoo.addons.aftersales_service.models.repair_order import OPEN_STATES
from odoo.addons.aftersales_service.tools.public_api import DISPATCHER_GROUP, api_datetime
from odoo.addons.aftersales_warranty.tools import to_persian_digits
from odoo.addons.web_jalali.tools import format_jalali

from .aftersales_dispatch import haversine_km
from .aftersales_ops_map import MAP_ORDER_FIELDS

# customer notification events: (mail template, sms template) xml ids are derived from the key
CUSTOMER_EVENTS = ("received", "assigned", "on_the_way", "started", "waiting", "done", "cancelled")
# batch dispatch explains this many orders left without a technician, then counts the rest
DISPATCH_SUMMARY_ORDERS = 10


class RepairOrder(models.Model):
    """Dispatch of a service order: the offer to a technician and their answer, travel and arrival,
    and what the customer and the technicians are told at each step."""

    _inherit = "repair.order"

    def init(self):
        res = super().init()
        # the dispatch engine counts each technician's open orders and today's planned orders: both
        # through small indexes, whatever the size of the technicians' order history
        states = ", ".join(f"'{state}'" for state in OPEN_STATES)
        create_index(
            self.env.cr,
            "repair_order_technician_open_idx",
            self._table,
            ["technician_id"],
            where=f"technician_id IS NOT NULL AND state IN ({states})",
        )
        create_index(
            self.env.cr,
            "repair_order_technician_schedule_idx",
            self._table,
            ["technician_id", "schedule_date"],
            where="technician_id IS NOT NULL AND state != 'cancel'",
        )
        return res

    # ------------------------------------------------------------------ dispatch
    dispatch_state = fields.Selection(
        [
            ("unassigned", "Unassigned"),
            ("offered", "Waiting for Technician"),
            ("accepted", "Accepted"),
        ],
        default="unassigned",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        help="Unassigned: no technician yet. Waiting for Technician: offered to a technician who has not "
        "answered yet (after the answer timeout the order goes to the next best technician). "
        "Accepted: the technician took the job.",
    )
    dispatch_offer_date = fields.Datetime(string="Offered On", copy=False, readonly=True)
    dispatch_declined_technician_ids = fields.Many2many(
        "hr.employee",
        "repair_order_dispatch_declined_rel",
        "order_id",
        "employee_id",
        string="Declined By",
        copy=False,
        readonly=True,
        help="Technicians who declined or did not answer; the order is never offered to them again.",
    )
    # ------------------------------------------------------------------ travel
    date_on_the_way = fields.Datetime(string="On the Way Since", copy=False, readonly=True)
    eta_date = fields.Datetime(string="Estimated Arrival", copy=False, readonly=True)
    travel_distance_km = fields.Float(string="Travel Distance (km)", digits=(10, 1), copy=False, readonly=True)
    technician_phone = fields.Char(related="technician_id.mobile_phone", string="Technician Phone")
    technician_image_url = fields.Char(compute="_compute_technician_image_url")
    # ------------------------------------------------------------------ day plan
    aftersales_planned_hours = fields.Float(
        string="Planned Hours",
        compute="_compute_aftersales_day_plan",
        help="Length of the visit on the day plan: the service type's standard duration, else one hour.",
    )
    aftersales_travel_minutes = fields.Integer(
        string="Travel (min)",
        compute="_compute_aftersales_day_plan",
        help="Estimated drive from the technician's previous visit of the day (straight-line distance at the "
        "company's average speed).",
    )
    aftersales_travel_short = fields.Boolean(
        string="Travel Gap Too Short",
        compute="_compute_aftersales_day_plan",
        help="The time between the end of the previous visit and this one is shorter than the drive.",
    )
    # ------------------------------------------------------------------ computes

    @api.depends("technician_id")
    def _compute_technician_image_url(self):
        base_url = self.get_base_url()
        for order in self:
            order.technician_image_url = (
                f"{base_url}/web/image/hr.employee.public/{order.technician_id.id}/avatar_128"
                if order.technician_id
                else False
            )

    @api.depends("schedule_date", "technician_id", "service_type_id", "partner_id")
    def _compute_aftersales_day_plan(self):
        """Planned length, and the drive from the previous visit of the same technician on the same
        (UTC) day, for all the records in a fixed number of queries."""
        for order in self:
            order.aftersales_planned_hours = order.service_type_id.standard_duration or 1.0
            order.aftersales_travel_minutes = 0
            order.aftersales_travel_short = False
        planned = self.filtered(lambda o: o.technician_id and o.schedule_date)
        if not planned:
            return
        days = {order.schedule_date.date() for order in planned}
        start = datetime.combine(min(days), datetime.min.time())
        stop = datetime.combine(max(days), datetime.min.time()) + timedelta(days=1)
        # the day's other visits of these technicians, even those the reader may not see: only their
        # positions and times are used, never shown
        neighbours = self.sudo().search(
            [
                ("technician_id", "in", planned.technician_id.ids),
                ("state", "!=", "cancel"),
                ("schedule_date", ">=", start),
                ("schedule_date", "<", stop),
            ],
            order="schedule_date, id",
        )
        by_day = defaultdict(list)
        for other in neighbours:
            by_day[(other.technician_id.id, other.schedule_date.date())].append(other)
        for order in planned:
            previous = None
            for other in by_day.get((order.technician_id.id, order.schedule_date.date()), []):
                if other.id == order.id or other.schedule_date > order.schedule_date:
                    break
                previous = other
            if not previous:
                continue
            here, there = order.partner_id, previous.partner_id
            if not (
                (here.partner_latitude or here.partner_longitude)
                and (there.partner_latitude or there.partner_longitude)
            ):
                continue
            km = haversine_km(
                there.partner_latitude, there.partner_longitude, here.partner_latitude, here.partner_longitude
            )
            speed = order.company_id.aftersales_dispatch_average_speed or 30.0
            minutes = round(km / speed * 60)
            order.aftersales_travel_minutes = minutes
            previous_end = previous.schedule_date + timedelta(hours=previous.service_type_id.standard_duration or 1.0)
            order.aftersales_travel_short = previous_end + timedelta(minutes=minutes) > order.schedule_date

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        # the creator was allowed to create these orders with their technician: the offer is the system's
        orders.filtered("technician_id").sudo().write(
            {"dispatch_state": "offered", "dispatch_offer_date": fields.Datetime.now()}
        )
        self.env["aftersales.ops.map"]._notify_map(technician_ids=orders.technician_id.ids, order_ids=orders.ids)
        aftersales = orders.filtered("is_aftersales")
        aftersales._aftersales_notify_customer("received")
        to_dispatch = aftersales.filtered(lambda o: not o.technician_id and o.service_type_id.auto_dispatch)
        if to_dispatch:
            # receipt staff may not read technicians: the engine runs as superuser on these new orders only
            self.env["aftersales.dispatch"].sudo().dispatch_orders(to_dispatch.sudo())
        return orders

    def write(self, vals):
        watched = {"state", "technician_id", "waiting_reason", "schedule_date"}
        before = {}
        if watched & set(vals):
            before = {
                order.id: (order.state, order.technician_id, order.waiting_reason, order.schedule_date)
                for order in self
            }
        if "technician_id" in vals and "dispatch_state" not in vals:
            vals = dict(
                vals,
                dispatch_state="offered" if vals["technician_id"] else "unassigned",
                dispatch_offer_date=fields.Datetime.now() if vals["technician_id"] else False,
            )
        technicians = self.technician_id if MAP_ORDER_FIELDS & set(vals) else None
        res = super().write(vals)
        if before:
            self._aftersales_after_write(before)
        if technicians is not None:
            # open operations maps redraw these orders and their technicians (before and after)
            self.env["aftersales.ops.map"]._notify_map(
                technician_ids=(technicians | self.technician_id).ids, order_ids=self.ids
            )
        return res

    def _aftersales_after_write(self, before):
        """Notify the customer and the technicians of the changes made by ``write``."""
        events = defaultdict(lambda: self.browse())
        withdrawn = defaultdict(lambda: self.browse())
        for order in self.filtered("is_aftersales"):
            state, technician, waiting, schedule_date = before[order.id]
            if order.state != state:
                if order.state == "under_repair":
                    events["started"] |= order
                elif order.state == "done":
                    events["done"] |= order
                elif order.state == "cancel":
                    events["cancelled"] |= order
                    if order.technician_id:
                        withdrawn[order.technician_id] |= order
            if order.waiting_reason and order.waiting_reason != waiting:
                events["waiting"] |= order
            if technician and technician != order.technician_id:
                withdrawn[technician] |= order
            if (
                order.technician_id
                and order.technician_id == technician
                and schedule_date != order.schedule_date
                and order.state in OPEN_STATES
            ):
                events["technician_changed"] |= order
        for event in CUSTOMER_EVENTS:
            if events.get(event):
                events[event]._aftersales_notify_customer(event)
        if events.get("done"):
            events["done"]._aftersales_send_rating_request()
        if events.get("technician_changed"):
            events["technician_changed"]._aftersales_notify_technician_change("changed")
        for technician, orders in withdrawn.items():
            orders._aftersales_notify_technician_change("withdrawn", technician=technician)

    def _aftersales_protected_fields(self):
        """The dispatch and travel stamps change only through the dispatch actions (offer, accept,
        decline, on my way) too."""
        return [
            *super()._aftersales_protected_fields(),
            "dispatch_state",
            "dispatch_offer_date",
            "dispatch_declined_technician_ids",
            "date_on_the_way",
            "eta_date",
            "travel_distance_km",
        ]

    def _aftersales_on_technician_assigned(self):
        res = super()._aftersales_on_technician_assigned()
        self._notify_technician()
        return res

    def _aftersales_customer_status(self):
        """The customer hears of the technician on the way, and of an assignment only once the
        technician accepted the offer."""
        status = super()._aftersales_customer_status()
        if status not in ("assigned", "received"):
            return status
        if self.date_on_the_way:
            return "on_the_way"
        return "assigned" if self.technician_id and self.dispatch_state == "accepted" else "received"

    # ------------------------------------------------------------------ dispatch actions

    def action_dispatch_auto(self):
        """Dispatch the selected unassigned orders to the best technicians (batch assignment)."""
        closed = self.filtered(lambda o: o.state not in OPEN_STATES)
        if closed:
            raise UserError(
                self.env._("Only open orders can be dispatched: %(names)s", names=", ".join(closed.mapped("name")))
            )
        engine = self.env["aftersales.dispatch"]
        plan = engine.dispatch_orders(self)
        left = self.filtered(lambda o: not o.technician_id)
        if left:
            # why nobody took them, in numbers, and when someone can (first orders only: a readable toast)
            shown = left[:DISPATCH_SUMMARY_ORDERS]
            explained = engine._explain_unassigned(shown)
            reasons = " ".join(explained[order.id]["message"] for order in shown)
            if len(left) > len(shown):
                reasons += " " + self.env._(
                    "%(count)s more order(s) without a technician.", count=len(left) - len(shown)
                )
            message = self.env._("%(count)s order(s) dispatched. %(reasons)s", count=len(plan), reasons=reasons)
            kind = "warning"
        else:
            message = self.env._("%(count)s order(s) dispatched.", count=len(plan))
            kind = "success"
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": message,
                "type": kind,
                "sticky": bool(left),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    @api.model
    def action_dispatch_all_unassigned(self):
        """Batch dispatch of every open, unassigned after-sales order the user can see."""
        orders = self.search(
            [("is_aftersales", "=", True), ("technician_id", "=", False), ("state", "in", OPEN_STATES)],
            order="sla_response_deadline asc, id",
        )
        if not orders:
            raise UserError(self.env._("There is no unassigned open service order to dispatch."))
        return orders.action_dispatch_auto()

    def action_dispatch_suggest(self):
        """Open the wizard listing the ranked technicians with the reasons."""
        self.ensure_one()
        if self.state not in OPEN_STATES:
            raise UserError(self.env._("Service order %(name)s is closed.", name=self.name))
        wizard = self.env["repair.order.dispatch.suggest"].create({"order_id": self.id})
        wizard._fill_lines()
        return wizard._reopen_action()

    def _check_dispatch_answer_allowed(self):
        not_offered = self.filtered(lambda o: o.dispatch_state != "offered" or not o.technician_id)
        if not_offered:
            raise UserError(
                self.env._(
                    "These orders are not waiting for a technician's answer: %(names)s",
                    names=", ".join(not_offered.mapped("name")),
                )
            )
        if not self.env.user.has_group("aftersales_service.group_aftersales_dispatcher"):
            others = self.filtered(lambda o: o.technician_id.user_id != self.env.user)
            if others:
                raise UserError(
                    self.env._(
                        "Only the offered technician can answer for these orders: %(names)s",
                        names=", ".join(others.mapped("name")),
                    )
                )

    def action_dispatch_accept(self):
        """The technician accepts the offered job (one click)."""
        self._check_dispatch_answer_allowed()
        return self.action_accept()

    def action_accept(self):
        res = super().action_accept()
        accepted = self.filtered(lambda o: o.technician_id and o.dispatch_state != "accepted")
        if accepted:
            # the assigned technician or a dispatcher, checked by super(): protected field written as superuser
            accepted.sudo().write({"dispatch_state": "accepted"})
            accepted.filtered("is_aftersales")._aftersales_notify_customer("assigned")
        return res

    def action_dispatch_decline(self, reason=False):
        """The technician declines the offered job; the order goes to the next best technician."""
        self._check_dispatch_answer_allowed()
        self._dispatch_decline(reason or self.env._("No reason given"))
        return True

    def action_dispatch_decline_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Decline Job"),
            "res_model": "repair.order.dispatch.decline",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_id": self.id},
        }

    def _dispatch_decline(self, reason):
        """Record the refusal, free the order and re-dispatch it (never to who declined)."""
        for order in self:
            technician = order.technician_id
            order.message_post(
                body=self.env._(
                    "%(technician)s declined the job: %(reason)s", technician=technician.name, reason=reason
                ),
                subtype_xmlid="mail.mt_note",
            )
            # the technician answering has no right to edit the dispatch fields; the guard above checked them
            order.sudo().write(
                {
                    "dispatch_declined_technician_ids": [fields.Command.link(technician.id)],
                    "technician_id": False,
                }
            )
        self.env["aftersales.dispatch"].sudo().dispatch_orders(self.sudo())

    def action_on_my_way(self, latitude=False, longitude=False):
        """The technician leaves for the customer: ETA from the distance and the average speed."""
        not_ready = self.filtered(lambda o: not o.technician_id or o.state not in ("draft", "confirmed"))
        if not_ready:
            raise UserError(
                self.env._(
                    "Only assigned orders not yet started can be set on the way: %(names)s",
                    names=", ".join(not_ready.mapped("name")),
                )
            )
        # the travel fields are protected: only the assigned technician or a dispatcher may set them, on
        # orders they may edit; they are then written as superuser
        self.check_access("write")
        if not self.env.user.has_group("aftersales_service.group_aftersales_dispatcher"):
            others = self.filtered(lambda o: o.technician_id.user_id != self.env.user)
            if others:
                raise UserError(
                    self.env._(
                        "Only the assigned technician can set these orders on the way: %(names)s",
                        names=", ".join(others.mapped("name")),
                    )
                )
        if latitude or longitude:
            self._update_technician_position(latitude, longitude)
        pending = self.filtered(lambda o: o.dispatch_state != "accepted")
        if pending:
            pending.action_dispatch_accept()
        now = fields.Datetime.now()
        engine = self.env["aftersales.dispatch"]
        for order in self:
            technician = order.technician_id.sudo()
            origin = (latitude, longitude) if (latitude or longitude) else engine._technician_origin(technician)
            partner = order.partner_id
            vals = {"date_on_the_way": now, "eta_date": False, "travel_distance_km": 0.0}
            if origin and (partner.partner_latitude or partner.partner_longitude):
                distance = haversine_km(*origin, partner.partner_latitude, partner.partner_longitude)
                speed = order.company_id.aftersales_dispatch_average_speed or 30.0
                vals.update(travel_distance_km=distance, eta_date=now + timedelta(hours=distance / speed))
            order.sudo().write(vals)
        self._aftersales_notify_customer("on_the_way")
        return True

    # ------------------------------------------------------------------ day plan

    def action_plan_move(self, vals):
        """Move this order on the day plan: to another technician and/or another time (the timeline's
        drag and drop lands here instead of a plain ``write``).

        Who: dispatchers, on orders they may edit. The move goes through the dispatch engine's checks:
        an open order not started yet, a technician of the order's company with the required skills who
        serves the order's centre, works at the new time (shift, leaves, public holidays), has not
        declined the order and is under the daily job limit that day; the order and the technician are
        locked (``NOWAIT``) against concurrent dispatchers. Anything else is refused with the reason and
        nothing is written.

        :param vals: dict with ``technician_id`` (employee id) and/or ``schedule_date`` (``"YYYY-MM-DD
            HH:MM:SS"``, UTC); other keys (the timeline's duration) are ignored
        :return: ``True``
        """
        self.ensure_one()
        self._api_check_dispatcher()
        self.check_access("write")
        if self.state not in ("draft", "confirmed"):
            raise UserError(
                self.env._("Service order %(name)s is started or closed: it can no longer be moved.", name=self.name)
            )
        employee, schedule = self._plan_move_target(vals if isinstance(vals, dict) else {})
        self._check_plan_move(employee, schedule)
        engine = self.env["aftersales.dispatch"]
        if employee != self.technician_id:
            # locks, company, declined, daily limit on the day of the new time; writes the assignment
            engine.assign(self, employee, at=schedule)
        else:
            if not engine._lock_rows("repair_order", self.ids, nowait=True):
                raise UserError(
                    self.env._(
                        "Service order %(order)s is being dispatched by someone else; try again.", order=self.name
                    )
                )
            same_day = self.schedule_date and engine._day_bounds(self.schedule_date) == engine._day_bounds(schedule)
            jobs = engine._count_jobs_today(employee.ids, schedule, exclude_order_ids=self.ids).get(employee.id, 0)
            if not same_day and employee.max_jobs_per_day and jobs >= employee.max_jobs_per_day:
                raise UserError(
                    self.env._(
                        "Technician %(technician)s already has %(count)s jobs that day (limit %(limit)s).",
                        technician=employee.name,
                        count=jobs,
                        limit=employee.max_jobs_per_day,
                    )
                )
        if schedule != self.schedule_date:
            self.write({"schedule_date": schedule})
        return True

    def _plan_move_target(self, vals):
        """The technician (``hr.employee``, as superuser: checked by the caller before any write) and
        the time (naive UTC) a day-plan move asks for; the order's own when not given."""
        employee = self.technician_id.sudo()
        if "technician_id" in vals:
            employee_id = self.env["aftersales.ops.map"]._filter_id(
                self.env["aftersales.request"]._as_id(vals["technician_id"])
            )
            employee = self.env["hr.employee"].sudo().browse(employee_id).exists()
            if not employee:
                raise UserError(self.env._("Drop service order %(name)s on an existing technician.", name=self.name))
        schedule = self.schedule_date
        if vals.get("schedule_date"):
            try:
                schedule = fields.Datetime.to_datetime(vals["schedule_date"])
            except (TypeError, ValueError):
                schedule = None
            if not schedule:
                raise UserError(self.env._("The new time of service order %(name)s is not a date.", name=self.name))
        if not employee:
            raise UserError(self.env._("Service order %(name)s has no technician to plan.", name=self.name))
        if not schedule:
            raise UserError(self.env._("Give service order %(name)s a time.", name=self.name))
        return employee, schedule

    def _check_plan_move(self, employee, schedule):
        """Skills, centre and shift of ``employee`` for this order at ``schedule``; raise with the reason."""
        # skills, technician, open order: the guard of every assignment path
        self._check_assignable(employee)
        centre = self.service_centre_id
        if centre and centre not in (employee.service_centre_id | employee.aftersales_dispatch_centre_ids):
            raise UserError(
                self.env._(
                    "%(technician)s does not serve the centre %(centre)s of service order %(name)s.",
                    technician=employee.name,
                    centre=centre.display_name,
                    name=self.name,
                )
            )
        engine = self.env["aftersales.dispatch"]
        tech = engine._get_technicians(employee.company_id.ids).get(employee.id)
        if not tech:
            raise UserError(self.env._("%(name)s is not an active technician.", name=employee.name))
        reasons = {}
        if employee.id in engine._get_available({employee.id: tech}, schedule, reasons=reasons):
            return
        when = engine._format_slot(schedule)
        if reasons.get(employee.id) == "on_leave":
            raise UserError(
                self.env._(
                    "%(technician)s is on leave or it is a public holiday at %(date)s.",
                    technician=employee.name,
                    date=when,
                )
            )
        raise UserError(
            self.env._(
                "%(technician)s does not work at %(date)s (outside their working hours).",
                technician=employee.name,
                date=when,
            )
        )

    # ------------------------------------------------------------------ cron

    @api.model
    def _cron_dispatch(self):
        """Re-dispatch offers left unanswered past the company timeout; dispatch what is still unassigned."""
        now = fields.Datetime.now()
        offered = self.search([("dispatch_state", "=", "offered"), ("technician_id", "!=", False)])
        expired = offered.filtered(
            lambda o: o.dispatch_offer_date
            and o.dispatch_offer_date <= now - timedelta(minutes=o.company_id.aftersales_dispatch_accept_timeout or 30)
        )
        if expired:
            expired._dispatch_decline(self.env._("No answer in time"))
        pending = self.search(
            [
                ("is_aftersales", "=", True),
                ("technician_id", "=", False),
                ("state", "in", OPEN_STATES),
                ("service_type_id.auto_dispatch", "=", True),
            ]
        )
        if pending:
            self.env["aftersales.dispatch"].dispatch_orders(pending)

    # ------------------------------------------------------------------ notifications

    def _aftersales_notify_customer(self, event):
        """Email and SMS to the customer from the editable templates of ``event``."""
        mail_template = self.env.ref(f"aftersales_dispatch.mail_template_repair_{event}", raise_if_not_found=False)
        sms_template = self.env.ref(f"aftersales_dispatch.sms_template_repair_{event}", raise_if_not_found=False)
        # the templates read the technician (name, phone, photo) for the customer: sudo after the state change
        # was allowed by the caller's own access
        for order in self.sudo().filtered("partner_id"):
            partner = order.partner_id
            if mail_template and partner.email:
                order.message_post_with_source(
                    mail_template, subtype_xmlid="aftersales_dispatch.mt_repair_customer_update"
                )
            if sms_template and (partner.mobile or partner.phone):
                order._message_sms_with_template(template=sms_template, partner_ids=partner.ids, put_in_queue=True)

    def _aftersales_ltr(self, text):
        """``text`` (an order reference, a phone number) isolated left to right inside a Persian customer's
        SMS, so that it reads in its own order; unchanged for other customers, whose SMS an isolate would
        force into UCS-2 (70 characters a part instead of 160). Invoked by the SMS templates."""
        self.ensure_one()
        if text and (self.partner_id.lang or "").startswith("fa"):
            return f"\u2066{text}\u2069"
        return text or ""

    def _aftersales_customer_eta(self, time_only=False):
        """Estimated arrival as the customer reads it in emails and SMS, in the customer's time zone:
        Jalali date and Persian digits for Persian readers, the language's format otherwise."""
        self.ensure_one()
        if not self.eta_date:
            return ""
        partner = self.partner_id
        tz = partner.tz or self.env.context.get("tz") or self.env.user.tz or "UTC"
        if (partner.lang or "").startswith("fa"):
            local = pytz.utc.localize(self.eta_date).astimezone(pytz.timezone(tz)).replace(tzinfo=None)
            return to_persian_digits(local.strftime("%H:%M")) if time_only else format_jalali(local)
        return format_datetime(
            self.env, self.eta_date, tz=tz, dt_format="HH:mm" if time_only else "short", lang_code=partner.lang
        )

    def _aftersales_send_rating_request(self):
        template = self.env.ref("aftersales_dispatch.mail_template_repair_rating_request", raise_if_not_found=False)
        to_rate = self.sudo().filtered(lambda o: o.partner_id.email)
        if template and to_rate:
            to_rate.rating_send_request(template, force_send=False)

    def _aftersales_notify_technician_change(self, change, technician=None):
        """Tell a technician that their job changed or was withdrawn/cancelled: activity and email."""
        for order in self.sudo():
            employee = technician or order.technician_id
            user = employee.user_id
            partner = employee.work_contact_id or user.partner_id
            if change == "changed":
                summary = self.env._("Service order %(name)s changed", name=order.name)
                note = self.env._(
                    "Service order %(name)s for %(customer)s is now scheduled on %(date)s.",
                    name=order.name,
                    customer=order.partner_id.display_name or "",
                    date=order.schedule_date,
                )
            else:
                summary = self.env._("Service order %(name)s withdrawn", name=order.name)
                note = self.env._(
                    "Service order %(name)s for %(customer)s is no longer yours (cancelled or reassigned).",
                    name=order.name,
                    customer=order.partner_id.display_name or "",
                )
            if user:
                order.activity_schedule("mail.mail_activity_data_todo", user_id=user.id, summary=summary, note=note)
            if partner:
                order.message_notify(
                    partner_ids=partner.ids,
                    subject=summary,
                    body=Markup("<p>%s</p>") % note,
                    subtype_xmlid="mail.mt_note",
                )

    def _notify_technician(self):
        """Tell each technician about their new order: they follow it, get a to-do activity and an email.

        Same content as the per-order version, done for the whole recordset at once (one follower
        create, one activity create, one batch of emails) so that batch dispatch stays fast; the
        dispatch engine defers it until all its writes are done.
        """
        if self.env.context.get("aftersales_defer_technician_notification"):
            return
        orders = self.filtered("technician_id")
        if not orders:
            return
        technicians = orders.technician_id.sudo()
        partner_of = {tech.id: (tech.work_contact_id or tech.user_id.partner_id).id for tech in technicians}
        user_of = {tech.id: tech.user_id for tech in technicians}
        # followers through Odoo's own subscription (default subtypes, no duplicates), one call per
        # technician for all their orders of the batch
        by_partner = {}
        for order in orders:
            if partner_of[order.technician_id.id]:
                by_partner.setdefault(partner_of[order.technician_id.id], []).append(order.id)
        for partner_id, order_ids in by_partner.items():
            self.browse(order_ids).message_subscribe(partner_ids=[partner_id])
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        today = fields.Date.context_today(self)
        activity_vals = []
        for order in orders:
            user = user_of[order.technician_id.id]
            if not user:
                continue
            # the to-do reads in the technician's language, not in the language of whoever assigned
            _ = order.with_context(lang=user.lang or self.env.lang).env._
            activity_vals.append(
                {
                    "activity_type_id": activity_type.id,
                    "automated": True,
                    "res_model_id": model_id,
                    "res_id": order.id,
                    "user_id": user.id,
                    "date_deadline": today,
                    "summary": _("New service order %(name)s", name=order.name),
                    "note": _(
                        "You were assigned to %(name)s for %(customer)s.",
                        name=order.name,
                        customer=order.partner_id.display_name or "",
                    ),
                }
            )
        if activity_vals:
            self.env["mail.activity"].create(activity_vals)
        template = self.env.ref(
            "aftersales_dispatch.mail_template_repair_technician_assigned", raise_if_not_found=False
        )
        with_email = orders.filtered(lambda o: o.technician_id.sudo().work_email or o.technician_id.user_id.email)
        if template and with_email:
            template.send_mail_batch(with_email.ids)

    # ------------------------------------------------------------------ mail hooks

    def _track_subtype(self, init_values):
        self.ensure_one()
        if "state" in init_values and self.is_aftersales:
            subtype = {
                "under_repair": "aftersales_dispatch.mt_repair_started",
                "done": "aftersales_dispatch.mt_repair_done",
                "cancel": "aftersales_dispatch.mt_repair_cancelled",
            }.get(self.state)
            if subtype:
                return self.env.ref(subtype)
        if "technician_id" in init_values and self.technician_id and self.is_aftersales:
            return self.env.ref("aftersales_dispatch.mt_repair_assigned")
        if "waiting_reason" in init_values and self.waiting_reason:
            return self.env.ref("aftersales_dispatch.mt_repair_waiting")
        return super()._track_subtype(init_values)

    # ------------------------------------------------------------ public API (RPC)

    def _api_status(self):
        status = super()._api_status()
        status.update(
            dispatch_state=self.dispatch_state,
            dispatch_offer_date=api_datetime(self.dispatch_offer_date),
            date_on_the_way=api_datetime(self.date_on_the_way),
            eta_date=api_datetime(self.eta_date),
            travel_distance_km=self.travel_distance_km,
        )
        return status

    def _api_check_dispatcher(self):
        if not self.env.user.has_group(DISPATCHER_GROUP):
            raise AccessError(self.env._("Only dispatchers can rank technicians or dispatch service orders."))

    def dispatch_ranking(self, include_rejected=False):
        """The technicians ranked for this order, best first, with their scores and the reasons.

        Who: dispatchers (the same users as the *Suggest Technicians* wizard), on orders they may read.

        :param include_rejected: also list the technicians the hard filters excluded, with the reason
        :return: list of dicts ``employee_id``, ``name``, ``rank`` (0 when excluded), ``eligible``,
            ``reason``, ``score``, ``distance_km`` (``False`` when a position is unknown), ``load``,
            ``jobs_today``, ``max_jobs``, ``skill`` (0-1), ``preferred``, ``breakdown``
            (``{"distance", "load", "preferred", "skill"}`` score parts)
        """
        self.ensure_one()
        self._api_check_dispatcher()
        self.check_access("read")
        if self.state not in OPEN_STATES:
            raise UserError(self.env._("Service order %(name)s is closed.", name=self.name))
        ranking = self.env["aftersales.dispatch"].rank_technicians(self, include_rejected=bool(include_rejected))
        result = []
        rank = 0
        for entry in ranking:
            rank += 1 if entry["eligible"] else 0
            row = dict(entry, rank=rank if entry["eligible"] else 0)
            row["distance_km"] = entry["distance_km"] if entry["distance_km"] is not None else False
            row["reason"] = str(entry["reason"] or "")
            row["breakdown"] = {key: float(value) for key, value in entry["breakdown"].items()}
            result.append(row)
        return result

    def api_dispatch(self):
        """Dispatch these unassigned open orders to the best technicians (batch assignment).

        Who: dispatchers, on orders they may edit.

        :return: ``{"assigned": [{"order_id", "employee_id"}], "unassigned": [{"order_id", "message"}]}``
        """
        self._api_check_dispatcher()
        self.check_access("write")
        closed = self.filtered(lambda o: o.state not in OPEN_STATES)
        if closed:
            raise UserError(
                self.env._("Only open orders can be dispatched: %(names)s", names=", ".join(closed.mapped("name")))
            )
        engine = self.env["aftersales.dispatch"]
        plan = engine.dispatch_orders(self)
        left = self.filtered(lambda o: not o.technician_id)
        explained = engine._explain_unassigned(left) if left else {}
        return {
            "assigned": [{"order_id": order_id, "employee_id": employee_id} for order_id, employee_id in plan.items()],
            "unassigned": [{"order_id": order.id, "message": str(explained[order.id]["message"])} for order in left],
        }

    def api_assign(self, employee_id):
        """Assign this order to a chosen technician (manual override of the ranking).

        Who: dispatchers, on orders they may edit.

        :return: the order's status dict
        """
        self.ensure_one()
        self._api_check_dispatcher()
        self.check_access("write")
        employee = self.env["hr.employee"].sudo().browse(self.env["aftersales.request"]._as_id(employee_id)).exists()
        if not employee:
            raise UserError(self.env._("Choose an existing technician."))
        self._check_assignable(employee)
        self.env["aftersales.dispatch"].assign(self, employee)
        return self._api_status()

    def api_accept(self):
        """The offered technician accepts the job.

        Who: the offered technician, or a dispatcher.

        :return: the order's status dict
        """
        self.ensure_one()
        self.check_access("read")
        self.action_dispatch_accept()
        return self._api_status()

    def api_decline(self, reason=False):
        """The offered technician declines the job; it is offered to the next best technician.

        Who: the offered technician, or a dispatcher.

        :return: ``{"order_id": id, "declined": True}`` (the decliner may no longer read the order)
        """
        self.ensure_one()
        self.check_access("read")
        if reason and not isinstance(reason, str):
            raise UserError(self.env._("Give the reason as a text."))
        self.action_dispatch_decline(reason)
        return {"order_id": self.id, "declined": True}

    def api_on_my_way(self, latitude=False, longitude=False):
        """The technician leaves for the customer: the ETA is computed and the customer told.

        Who: the assigned technician, or a dispatcher.

        :return: the order's status dict (``eta_date``, ``travel_distance_km``)
        """
        self.ensure_one()
        self.action_on_my_way(latitude, longitude)
        return self._api_status()
