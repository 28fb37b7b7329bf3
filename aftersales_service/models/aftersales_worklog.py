import base64
import binascii
import math
import re

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column, table_exists

from ..tools.protected_fields import check_protected_fields
from ..tools.public_api import MAX_API_PHOTOS, PNG_MAGIC

EARTH_RADIUS_KM = 6371.0088


def distance_km(lat1, lon1, lat2, lon2):
    """Great-circle (haversine) distance between two positions, in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    # min(): rounding may push ``a`` a hair above 1 for antipodal points
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def normalize_serial(value):
    """Serial as compared: no spaces, dashes, dots or slashes, upper case."""
    return re.sub(r"[\s\-_./]", "", value or "").upper()


class AftersalesWorklog(models.Model):
    _name = "aftersales.worklog"
    _description = "Technician Worklog"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference",
        default=lambda self: self.env._("New"),
        required=True,
        copy=False,
        readonly=True,
        index="trigram",
    )
    repair_id = fields.Many2one(
        "repair.order",
        string="Service Order",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        tracking=True,
    )
    company_id = fields.Many2one(related="repair_id.company_id", store=True, index=True, precompute=True)
    technician_id = fields.Many2one(
        "hr.employee",
        compute="_compute_technician_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        tracking=True,
        help="The order's technician when the visit was recorded.",
    )
    partner_id = fields.Many2one(related="repair_id.partner_id", string="Customer", store=True)
    product_id = fields.Many2one(related="repair_id.product_id", string="Product")
    product_categ_id = fields.Many2one(related="repair_id.product_id.categ_id", string="Product Category")
    product_tmpl_id = fields.Many2one(related="repair_id.product_id.product_tmpl_id", string="Product Template")
    lot_id = fields.Many2one(related="repair_id.lot_id", string="Order Serial")
    under_warranty = fields.Boolean(related="repair_id.under_warranty")
    service_type_id = fields.Many2one(related="repair_id.service_type_id")
    photos_required = fields.Boolean(related="repair_id.service_type_id.photos_required")
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        help="* Draft: the technician is recording the visit.\n"
        "* Submitted: the technician has sent the report; it waits for approval.\n"
        "* Approved: the work is accepted and its parts are booked on the order.\n"
        "* Rejected: the work must be done again; the order stays open for a new worklog.",
    )

    # Time
    date_start = fields.Datetime(string="Start", default=fields.Datetime.now, tracking=True)
    date_end = fields.Datetime(string="End", tracking=True)
    duration_hours = fields.Float(
        string="Time Spent (hours)",
        compute="_compute_duration_hours",
        store=True,
        help="Time between start and end.",
    )

    # Work done
    action_ids = fields.Many2many("aftersales.worklog.action", string="Actions Done")
    work_description = fields.Text(string="Work Notes")
    result = fields.Selection(
        [
            ("fixed", "Fixed"),
            ("not_fixed", "Not Fixed"),
            ("needs_parts", "Needs Parts"),
            ("replaced", "Replaced"),
        ],
        tracking=True,
        index=True,
    )
    part_ids = fields.One2many(
        "aftersales.worklog.part",
        "worklog_id",
        string="Parts Consumed",
        domain=[("line_type", "=", "add")],
        copy=False,
    )
    removed_part_ids = fields.One2many(
        "aftersales.worklog.part",
        "worklog_id",
        string="Parts Removed",
        domain=[("line_type", "in", ("remove", "recycle"))],
        copy=False,
    )
    part_location_id = fields.Many2one(
        "stock.location",
        string="Parts From",
        compute="_compute_part_location_id",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        domain="[('usage', '=', 'internal')]",
        help="Default source of the parts consumed: the technician's van, else the order's parts location.",
    )
    barcode_scan = fields.Char(
        string="Scan a Part",
        store=False,
        help="Scan or type a part barcode (or internal reference) to add one unit to the parts consumed.",
    )

    # Evidence
    photo_before_ids = fields.Many2many(
        "ir.attachment",
        "aftersales_worklog_photo_before_rel",
        "worklog_id",
        "attachment_id",
        string="Photos Before",
    )
    photo_after_ids = fields.Many2many(
        "ir.attachment",
        "aftersales_worklog_photo_after_rel",
        "worklog_id",
        "attachment_id",
        string="Photos After",
    )
    signature = fields.Binary(string="Customer Signature", attachment=True, copy=False)
    signed_by = fields.Char(copy=False)
    signed_on = fields.Datetime(copy=False, readonly=True)
    lot_name_confirmed = fields.Char(
        string="Serial Checked On Site",
        copy=False,
        help="Serial number typed or scanned from the device; it must match the order's serial.",
    )
    serial_checked = fields.Boolean(
        compute="_compute_serial_checked",
        store=True,
        help="The serial read on site matches the order's serial.",
    )
    latitude = fields.Float(digits=(10, 7), copy=False)
    longitude = fields.Float(digits=(10, 7), copy=False)
    date_position = fields.Datetime(string="Position Stamped On", readonly=True, copy=False)
    distance_from_customer = fields.Float(
        string="Distance from Customer (km)",
        compute="_compute_warning_message",
        digits=(16, 2),
    )
    warning_message = fields.Char(compute="_compute_warning_message")

    # Approval
    date_submitted = fields.Datetime(readonly=True, copy=False)
    date_approved = fields.Datetime(readonly=True, copy=False)
    approved_by_id = fields.Many2one(
        "res.users",
        readonly=True,
        copy=False,
        help="Who approved the work; empty when the worklog was approved automatically.",
    )
    approval_mode = fields.Selection(
        [("manual", "Manual"), ("automatic", "Automatic (QC off)")],
        string="Approval",
        readonly=True,
        copy=False,
        tracking=True,
        help="How the worklog was approved:\n"
        "* Manual: a dispatcher or an after-sales manager approved it.\n"
        "* Automatic (QC off): nobody reviewed it; the company approves worklogs on submission "
        "(QC is off or did not sample the worklog).\n"
        "* Quality Control: a QC inspector passed its inspection (QC addon).",
    )
    rejection_reason = fields.Text(copy=False, tracking=True)

    def _auto_init(self):
        """Create and fill the stored customer in SQL, not by an ORM computation per worklog (upgrade of a
        database with worklogs)."""
        cr = self.env.cr
        created = table_exists(cr, self._table) and not column_exists(cr, self._table, "partner_id")
        if created:
            create_column(cr, self._table, "partner_id", "int4")
        res = super()._auto_init()
        if created:
            self.pool.post_init(self._fill_partner_id)
        return res

    def _fill_partner_id(self):
        self.env.cr.execute(
            SQL(
                """
                UPDATE aftersales_worklog w
                   SET partner_id = ro.partner_id
                  FROM repair_order ro
                 WHERE ro.id = w.repair_id
                   AND ro.partner_id IS NOT NULL
                """
            )
        )

    # ------------------------------------------------------------------ computes
    @api.depends("repair_id")
    def _compute_technician_id(self):
        for worklog in self:
            if not worklog.technician_id or worklog.state == "draft":
                worklog.technician_id = worklog.repair_id.technician_id

    @api.depends("date_start", "date_end")
    def _compute_duration_hours(self):
        for worklog in self:
            if worklog.date_start and worklog.date_end and worklog.date_end > worklog.date_start:
                worklog.duration_hours = (worklog.date_end - worklog.date_start).total_seconds() / 3600.0
            else:
                worklog.duration_hours = 0.0

    @api.depends("technician_id", "repair_id")
    def _compute_part_location_id(self):
        for worklog in self:
            if worklog.part_location_id:
                continue
            van = worklog.technician_id.van_location_id
            worklog.part_location_id = van or worklog.repair_id.location_id

    @api.depends("lot_name_confirmed", "repair_id.lot_id.name")
    def _compute_serial_checked(self):
        for worklog in self:
            expected = normalize_serial(worklog.repair_id.lot_id.name)
            worklog.serial_checked = bool(expected) and normalize_serial(worklog.lot_name_confirmed) == expected

    @api.depends(
        "latitude",
        "longitude",
        "repair_id.partner_id.partner_latitude",
        "repair_id.partner_id.partner_longitude",
        "company_id.aftersales_worklog_max_distance",
    )
    def _compute_warning_message(self):
        for worklog in self:
            worklog.distance_from_customer = 0.0
            worklog.warning_message = False
            partner = worklog.repair_id.partner_id
            if not (worklog.latitude or worklog.longitude) or not (
                partner.partner_latitude or partner.partner_longitude
            ):
                continue
            distance = distance_km(
                worklog.latitude, worklog.longitude, partner.partner_latitude, partner.partner_longitude
            )
            worklog.distance_from_customer = distance
            limit = worklog.company_id.aftersales_worklog_max_distance or 1.0
            if distance > limit:
                worklog.warning_message = self.env._(
                    "The worklog was stamped %(distance).2f km from the customer's address "
                    "(allowed: %(limit).2f km).",
                    distance=distance,
                    limit=limit,
                )

    # ------------------------------------------------------------------ constraints / onchange
    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for worklog in self:
            if worklog.date_start and worklog.date_end and worklog.date_end <= worklog.date_start:
                raise ValidationError(
                    self.env._(
                        "Worklog %(name)s: the end (%(end)s) must be after the start (%(start)s).",
                        name=worklog.name,
                        end=worklog.date_end,
                        start=worklog.date_start,
                    )
                )

    @api.onchange("barcode_scan")
    def _onchange_barcode_scan(self):
        if not self.barcode_scan:
            return
        code = self.barcode_scan.strip()
        self.barcode_scan = False
        product = self._find_part_by_code(code)
        existing = self.part_ids.filtered(lambda line: line.product_id == product)[:1]
        if existing:
            existing.quantity += 1
        else:
            self.part_ids = [
                fields.Command.create(
                    {
                        "line_type": "add",
                        "product_id": product.id,
                        "quantity": 1.0,
                        "location_id": self.part_location_id.id,
                    }
                )
            ]

    # ------------------------------------------------------------------ CRUD
    def _aftersales_protected_fields(self):
        """Workflow and approval fields (approved work feeds the score and the payslip) and the evidence
        stamps: only the action methods write them, as superuser after their own checks; a direct write
        or create by anyone but an after-sales manager is refused. Extend to protect more fields."""
        return (
            "state",
            "date_submitted",
            "date_approved",
            "approved_by_id",
            "approval_mode",
            "signed_on",
            "date_position",
        )

    @api.model_create_multi
    def create(self, vals_list):
        now = fields.Datetime.now()
        protected = self._aftersales_protected_fields()
        for vals in vals_list:
            check_protected_fields(self, vals, protected)
            # a new worklog reads "New" in its user's language until it gets its reference
            if vals.get("name") in (None, False, "New", self.env._("New")):
                vals["name"] = self.env["ir.sequence"].next_by_code("aftersales.worklog") or "New"
            self._stamp_vals(vals, now)
        return super().create(vals_list)

    def write(self, vals):
        check_protected_fields(self, vals, self._aftersales_protected_fields())
        self._stamp_vals(vals, fields.Datetime.now())
        return super().write(vals)

    @api.model
    def _stamp_vals(self, vals, now):
        """Time-stamp the position and the signature when they are recorded."""
        # a form saves its empty coordinates (0, 0) too: that is no position
        if (vals.get("latitude") or vals.get("longitude")) and "date_position" not in vals:
            vals["date_position"] = now
        if vals.get("signature") and "signed_on" not in vals:
            vals["signed_on"] = now

    @api.onchange("signature")
    def _onchange_signature(self):
        """The customer signs: the name of the signer is the customer's unless typed."""
        for worklog in self.filtered(lambda w: w.signature and not w.signed_by):
            worklog.signed_by = worklog.partner_id.name

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted(self):
        done = self.filtered(lambda w: w.state in ("submitted", "approved"))
        if done:
            raise UserError(
                self.env._(
                    "Submitted or approved worklogs cannot be deleted: %(names)s",
                    names=", ".join(done.mapped("name")),
                )
            )

    # ------------------------------------------------------------------ actions
    def action_submit(self):
        """Technician sends the report: run the automatic checks, stamp it, then hand it to approval
        (or approve it at once when the company approves worklogs without a review).

        :return: a notification telling the technician what became of the report
        """
        not_draft = self.filtered(lambda w: w.state != "draft")
        if not_draft:
            raise UserError(
                self.env._("Only draft worklogs can be submitted: %(names)s", names=", ".join(not_draft.mapped("name")))
            )
        # the caller may edit these draft worklogs (technicians: their own orders' only)
        self.check_access("write")
        # the technician who submits from the site checks out with it: one step, as on the portal
        # (an office user submitting someone's report enters its end)
        self.filtered(lambda w: not w.date_end and w.date_start and w.technician_id.user_id == self.env.user).write(
            {"date_end": fields.Datetime.now()}
        )
        self._check_submission()
        # posted while still draft: technicians may only write on their draft worklogs
        for worklog in self.filtered("warning_message"):
            worklog.message_post(body=worklog.warning_message, subtype_xmlid="mail.mt_note")
        # the state is a protected field: written as superuser once the checks above passed
        self.sudo().write({"state": "submitted", "date_submitted": fields.Datetime.now()})
        self._on_submitted()
        to_approve = self.filtered(lambda w: w.state == "submitted" and w._is_auto_approved())
        if to_approve:
            # Auto-approval is the company's policy, checked just above; the technician who submits
            # has no stock rights, so the booking of the parts runs as superuser.
            # Nobody approved it: the approver stays empty and the worklog says it was automatic.
            to_approve.sudo()._action_approve(mode="automatic")
        approved = all(worklog.state == "approved" for worklog in self)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": self._get_submitted_message(),
                "type": "success" if approved else "info",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_approve(self):
        self._check_approval_rights()
        self._check_approvable()
        self._action_approve(mode="manual")
        return True

    def action_reject(self):
        self._check_approval_rights()
        not_submitted = self.filtered(lambda w: w.state != "submitted")
        if not_submitted:
            raise UserError(
                self.env._(
                    "Only submitted worklogs can be rejected: %(names)s",
                    names=", ".join(not_submitted.mapped("name")),
                )
            )
        self._action_reject()
        return True

    def action_reset_draft(self):
        rejected = self.filtered(lambda w: w.state != "rejected")
        if rejected:
            raise UserError(
                self.env._(
                    "Only rejected worklogs can be set back to draft: %(names)s",
                    names=", ".join(rejected.mapped("name")),
                )
            )
        # the caller must be allowed to edit these worklogs; the state itself is written as superuser
        self.check_access("write")
        self.sudo().write({"state": "draft", "date_submitted": False})
        return True

    def action_scan_part(self, code):
        """Add one unit of the part with this barcode or internal reference (for mobile clients)."""
        self.ensure_one()
        if self.state != "draft":
            raise UserError(self.env._("Parts can only be added to a draft worklog (%(name)s).", name=self.name))
        product = self._find_part_by_code(code)
        line = self.part_ids.filtered(lambda part: part.product_id == product)[:1]
        if line:
            line.quantity += 1
        else:
            line = self.env["aftersales.worklog.part"].create(
                {
                    "worklog_id": self.id,
                    "line_type": "add",
                    "product_id": product.id,
                    "quantity": 1.0,
                    "location_id": self.part_location_id.id,
                }
            )
        return line.id

    # ------------------------------------------------------------------ hooks
    def _on_submitted(self):
        """Called once the worklogs are submitted; the QC addon hooks its inspection here."""
        return None

    def _is_auto_approved(self):
        """Whether a submitted worklog is approved without a human step (company setting)."""
        self.ensure_one()
        return self.company_id.aftersales_worklog_auto_approve

    def _get_auto_approval_note(self):
        """Chatter note of a worklog approved automatically: why nobody reviewed it."""
        self.ensure_one()
        return self.env._(
            "Approved automatically (QC off): the company approves worklogs on submission, without a review."
        )

    def _get_approval_note(self, mode):
        """Chatter note recording who approved the worklog and how."""
        self.ensure_one()
        if mode == "automatic":
            return self._get_auto_approval_note()
        return self.env._("Approved by %(user)s.", user=self.env.user.name)

    def _get_submitted_message(self):
        """What the technician is told after submitting: the reports' actual state, approved
        automatically or waiting for approval (back office notification and portal message)."""
        approved = self.filtered(lambda w: w.state == "approved")
        waiting = self - approved
        messages = []
        if approved:
            messages.append(
                self.env._("Report %(names)s approved automatically.", names=", ".join(approved.mapped("name")))
            )
        if waiting:
            messages.append(self.env._("Report %(names)s sent for approval.", names=", ".join(waiting.mapped("name"))))
        return " ".join(messages)

    def _check_approval_rights(self):
        """Dispatchers and managers approve worklogs (QC inspectors approve through their inspections)."""
        if not self.env.user.has_group("aftersales_service.group_aftersales_dispatcher"):
            raise AccessError(self.env._("Only dispatchers and after-sales managers can approve or reject worklogs."))
        # the company rules apply: no approval of worklogs the approver cannot edit
        self.check_access("write")

    def _check_approvable(self):
        not_submitted = self.filtered(lambda w: w.state != "submitted")
        if not_submitted:
            raise UserError(
                self.env._(
                    "Only submitted worklogs can be approved: %(names)s",
                    names=", ".join(not_submitted.mapped("name")),
                )
            )

    # ------------------------------------------------------------------ business
    def _find_part_by_code(self, code):
        self.ensure_one()
        code = (code or "").strip()
        product = self.env["product.product"].search(
            ["|", ("barcode", "=", code), ("default_code", "=", code)], limit=1
        )
        if not product:
            raise UserError(self.env._("No part has the barcode or reference %(code)s.", code=code))
        if self.product_id and not product.product_tmpl_id._aftersales_fits(self.product_id):
            raise UserError(
                self.env._(
                    "The part %(part)s does not fit %(product)s.",
                    part=product.display_name,
                    product=self.product_id.display_name,
                )
            )
        return product

    def _check_submission(self):
        """Automatic checks before submission; one error listing every problem found."""
        errors = []
        for worklog in self:
            repair = worklog.repair_id
            if repair.state in ("done", "cancel"):
                errors.append(
                    self.env._("%(name)s: the order %(order)s is closed.", name=worklog.name, order=repair.name)
                )
            if not worklog.date_start or not worklog.date_end:
                errors.append(self.env._("%(name)s: enter the start and the end of the work.", name=worklog.name))
            if not worklog.result:
                errors.append(self.env._("%(name)s: choose the result of the work.", name=worklog.name))
            if repair.lot_id:
                if not worklog.lot_name_confirmed:
                    errors.append(
                        self.env._("%(name)s: scan or type the serial number of the device.", name=worklog.name)
                    )
                elif not worklog.serial_checked:
                    errors.append(
                        self.env._(
                            "%(name)s: the serial %(typed)s does not match the order's serial %(expected)s.",
                            name=worklog.name,
                            typed=worklog.lot_name_confirmed,
                            expected=repair.lot_id.name,
                        )
                    )
            elif repair.product_id.tracking in ("serial", "lot"):
                errors.append(
                    self.env._(
                        "%(name)s: the order %(order)s has no serial number.", name=worklog.name, order=repair.name
                    )
                )
            if worklog.company_id.aftersales_worklog_signature_required and not worklog.signature:
                errors.append(self.env._("%(name)s: the customer's signature is required.", name=worklog.name))
            if worklog.photos_required and not (worklog.photo_before_ids and worklog.photo_after_ids):
                errors.append(
                    self.env._(
                        "%(name)s: the service type %(type)s requires photos before and after the work.",
                        name=worklog.name,
                        type=worklog.service_type_id.display_name,
                    )
                )
        errors += self.part_ids._get_availability_errors()
        if errors:
            raise UserError("\n".join(errors))

    def _action_approve(self, mode="manual"):
        """Approve the worklogs and book their parts.

        :param str mode: how they were approved (a value of ``approval_mode``): ``manual`` and the QC
            addon's ``qc`` record the current user as the approver; ``automatic`` records none.
        """
        closed = self.filtered(lambda w: w.repair_id.state in ("done", "cancel"))
        if closed:
            raise UserError(
                self.env._(
                    "Worklogs of closed orders cannot be approved: %(names)s",
                    names=", ".join(closed.mapped("name")),
                )
            )
        # Protected fields, written as superuser: every caller checked the approval first (approval
        # rights, the company's auto-approval or a passed QC inspection); the approver is the real user,
        # none when the approval is automatic (the submitting technician approved nothing).
        self.sudo().write(
            {
                "state": "approved",
                "date_approved": fields.Datetime.now(),
                "approved_by_id": False if mode == "automatic" else self.env.uid,
                "approval_mode": mode,
            }
        )
        # the approver (or the system, for an automatic approval) signs the note; the submitting
        # technician may no longer write on the worklog
        author = self.env.ref("base.partner_root") if mode == "automatic" else self.env.user.partner_id
        for worklog in self:
            worklog.sudo().message_post(
                body=worklog._get_approval_note(mode), author_id=author.id, subtype_xmlid="mail.mt_note"
            )
        # Approval rights were checked by the caller (action_approve or the company's auto-approval);
        # approvers (dispatchers, QC inspectors) need not be inventory users to book the parts.
        (self.part_ids | self.removed_part_ids).sudo()._create_repair_moves()
        return True

    def _action_reject(self):
        """Reject the worklogs; the caller checked the rights (dispatcher or a QC rejection)."""
        self.sudo().write({"state": "rejected"})
        return True

    def _get_total_hours(self):
        return sum(self.filtered(lambda w: w.state == "approved").mapped("duration_hours"))

    # ------------------------------------------------------------ public API (RPC)

    def api_save(self, values):
        """Write the work report of this draft worklog in one call.

        Who: the technician of the order (own draft worklogs), dispatchers.

        :param values: dict with any of ``date_start``, ``date_end`` (``"YYYY-MM-DD HH:MM:SS"`` UTC),
            ``work_description``, ``result``, ``action_ids`` (ids), ``lot_name_confirmed``,
            ``latitude``, ``longitude``, ``signature`` (base64 PNG), ``signed_by``,
            ``parts`` (list of ``{"product_id": id or "code": barcode/reference, "quantity": float}``),
            ``photos_before`` / ``photos_after`` (lists of ``{"name": str, "datas": base64}``)
        :return: ``{"worklog_id": id, "state": str, "part_line_ids": [...], "photo_ids": [...]}``
        """
        self.ensure_one()
        if self.state != "draft":
            raise UserError(self.env._("Only a draft worklog can be changed (%(name)s).", name=self.name))
        if not isinstance(values, dict):
            raise UserError(self.env._("Give the report as a dictionary of values."))
        self.check_access("write")
        values = dict(values)
        parts = values.pop("parts", []) or []
        photos = {key: values.pop(key, []) or [] for key in ("photos_before", "photos_after")}
        allowed = {
            "date_start",
            "date_end",
            "work_description",
            "result",
            "action_ids",
            "lot_name_confirmed",
            "latitude",
            "longitude",
            "signature",
            "signed_by",
        }
        unknown = set(values) - allowed
        if unknown:
            raise UserError(
                self.env._("These fields cannot be written here: %(fields)s", fields=", ".join(sorted(unknown)))
            )
        self._api_check_report_values(values)
        if "action_ids" in values:
            values["action_ids"] = [fields.Command.set(values["action_ids"] or [])]
        if values.get("signature"):
            self._api_check_png(values["signature"])
        self.write(values)
        photo_ids = self._api_attach_photos(photos["photos_before"], photos["photos_after"])
        line_ids = []
        for index, part in enumerate(parts, start=1):
            line_ids.append(self._api_add_part(index, part))
        return {
            "worklog_id": self.id,
            "state": self.state,
            "part_line_ids": sorted(set(line_ids)),
            "photo_ids": photo_ids,
        }

    def api_submit(self):
        """Send the report for approval (or have it approved at once when the company says so).

        Who: the technician of the order (own draft worklogs), dispatchers.

        :return: ``{"worklog_id": id, "state": str, "message": str}``
        """
        self.ensure_one()
        self.action_submit()
        return {"worklog_id": self.id, "state": self.state, "message": str(self._get_submitted_message())}

    def _api_check_report_values(self, values):
        """Refuse values of the wrong type with a clear error naming the field (never a traceback)."""
        wrong = []
        for key in ("date_start", "date_end"):
            if values.get(key):
                try:
                    fields.Datetime.to_datetime(values[key])
                except (TypeError, ValueError):
                    wrong.append(key)
        for key in ("latitude", "longitude"):
            if key in values and (isinstance(values[key], bool) or not isinstance(values[key], int | float)):
                wrong.append(key)
        for key in ("work_description", "lot_name_confirmed", "signed_by", "result"):
            if values.get(key) and not isinstance(values[key], str):
                wrong.append(key)
        actions = values.get("action_ids") or []
        if not isinstance(actions, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in actions):
            wrong.append("action_ids")
        if wrong:
            raise UserError(
                self.env._("These values have the wrong type or format: %(fields)s", fields=", ".join(wrong))
            )

    def _api_check_png(self, data):
        try:
            head = base64.b64decode(data, validate=True)[:8] if isinstance(data, str) else b""
        except (binascii.Error, ValueError):
            head = b""
        if head != PNG_MAGIC:
            raise UserError(self.env._("The signature is not a valid PNG image."))

    def _api_attach_photos(self, photos_before, photos_after):
        if not photos_before and not photos_after:
            return []
        photos = list(photos_before) + list(photos_after)
        if len(photos) > MAX_API_PHOTOS:
            raise UserError(self.env._("Send at most %(count)s photos per call.", count=MAX_API_PHOTOS))
        vals_list = []
        for index, photo in enumerate(photos, start=1):
            datas = isinstance(photo, dict) and photo.get("datas")
            try:
                raw = base64.b64decode(datas, validate=True) if isinstance(datas, str) else b""
            except (binascii.Error, ValueError):
                raw = b""
            if not raw:
                raise UserError(self.env._("Photo %(index)s: send the image as base64 in datas.", index=index))
            vals_list.append(
                {
                    "name": str(photo.get("name") or f"photo-{index}"),
                    "datas": datas,
                    "res_model": self._name,
                    "res_id": self.id,
                }
            )
        attachments = self.env["ir.attachment"].create(vals_list)
        self.write(
            {
                "photo_before_ids": [fields.Command.link(att.id) for att in attachments[: len(photos_before)]],
                "photo_after_ids": [fields.Command.link(att.id) for att in attachments[len(photos_before) :]],
            }
        )
        return attachments.ids

    def _api_add_part(self, index, part):
        if not isinstance(part, dict):
            raise UserError(self.env._("Part %(index)s: give a product_id or a code.", index=index))
        quantity = part.get("quantity", 1.0)
        if not isinstance(quantity, int | float) or quantity <= 0:
            raise UserError(self.env._("Part %(index)s: the quantity must be positive.", index=index))
        if part.get("code"):
            product = self._find_part_by_code(str(part["code"]))
        else:
            product_id = self.env["aftersales.request"]._as_id(part.get("product_id"))
            product = self.env["product.product"].browse(product_id).exists()
            if not product:
                raise UserError(self.env._("Part %(index)s: give a product_id or a code.", index=index))
        line = self.env["aftersales.worklog.part"].create(
            {
                "worklog_id": self.id,
                "line_type": "add",
                "product_id": product.id,
                "quantity": quantity,
                "location_id": self.part_location_id.id,
            }
        )
        return line.id
