"""Public API over Odoo's RPC (XML-RPC and JSON-RPC): one call per business step.

Every method here is a thin wrapper on the business methods the buttons use, run with the caller's
rights and record rules; it returns plain data (dicts, lists, ids, ``False``), never ``None`` nor a
window action, so that XML-RPC can marshal it. A refusal raises ``UserError`` / ``AccessError`` (an
RPC fault) and, the call being one transaction, writes nothing.
"""

import base64
import binascii

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

DISPATCHER_GROUP = "aftersales_service.group_aftersales_dispatcher"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_API_CODES = 1000
MAX_API_PHOTOS = 20


def _dt(value):
    """A datetime as the ORM's string, ``False`` when empty (XML-RPC has no ``None``)."""
    return fields.Datetime.to_string(value) if value else False


class _ApiRollback(Exception):
    """Raised inside a savepoint to undo a half-made request when its codes are refused."""


class AftersalesRequest(models.Model):
    _inherit = "aftersales.request"

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
                    raise _ApiRollback()
        except _ApiRollback:
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


class AftersalesRequestLine(models.Model):
    _inherit = "aftersales.request.line"

    def create_service_orders(self):
        """Create one service order per unit (the request must be received).

        Who: users who may create service orders (reception, dispatchers, managers).

        :return: list of the created ``repair.order`` ids
        """
        self.check_access("write")
        return self._create_service_orders().ids


class RepairOrder(models.Model):
    _inherit = "repair.order"

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
            "date_accepted": _dt(self.date_accepted),
            "date_started": _dt(self.date_started),
            "date_finished": _dt(self.date_finished),
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
        return {"order": self._api_status(), "worklog_id": worklog.id, "date_end": _dt(worklog.date_end)}

    def api_invoice_parts(self):
        """Invoice the parts and labour of these finished orders out of warranty (posted invoices).

        Who: users who may create sale orders and invoices (sales / accounting users, managers).

        :return: ``{"invoice_ids": [...], "sale_order_ids": [...]}``
        """
        self.check_access("write")
        self.action_invoice_parts()
        return {"invoice_ids": self.aftersales_invoice_ids.ids, "sale_order_ids": self.sale_order_id.ids}

    def api_close(self):
        """End these orders (native *End Repair* then *Repair Done* checks: approved worklogs, parts).

        Who: users who may edit the orders and move stock (dispatchers with stock rights, managers).

        :return: list of status dicts
        """
        self.check_access("write")
        started = self.filtered(lambda order: order.state == "under_repair")
        result = started.action_repair_end() if started else True
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


class AftersalesWorklog(models.Model):
    _inherit = "aftersales.worklog"

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
        if "action_ids" in values:
            values["action_ids"] = [fields.Command.set([int(i) for i in values["action_ids"] or []])]
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
