import base64

from odoo import api, models
from odoo.exceptions import ValidationError

from odoo.addons.aftersales_warranty.tools import normalize_code


class AftersalesRequest(models.Model):
    _inherit = "aftersales.request"
    # customers and agents who may read a request may also write in its conversation
    _mail_post_access = "read"

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for service_request in self:
            service_request.access_url = f"/my/aftersales/requests/{service_request.id}"
        return res

    @api.model
    def _portal_find_or_create_partner(self, name, phone=False, email=False):
        """Customer behind a verified phone number or email: the existing contact, or a new one."""
        Partner = self.env["res.partner"]
        partner = Partner
        if email:
            partner = Partner.search([("email", "=ilike", email)], limit=1)
        if not partner and phone:
            partner = Partner.search(["|", ("phone", "=", phone), ("mobile", "=", phone)], limit=1)
        if not partner:
            partner = Partner.create({"name": name or phone or email, "phone": phone, "email": email})
        return partner

    @api.model
    def _get_portal_service_type(self):
        """Service type of requests filed on the website: the first active one in sequence."""
        return self.env["aftersales.service.type"].search([], limit=1)

    @api.model
    def _create_from_portal(self, values):
        """Create a request (channel ``portal``) from the customer form of the website.

        :param dict values: ``partner_id`` (signed-in customer) or ``contact_name`` with a verified
            ``phone``/``email``; ``product_id``, ``serial`` (warranty serial, product serial or
            product code), ``failure_mode_id``, ``description``, ``latitude``, ``longitude``,
            ``address``; ``attachments``: list of dicts ``name``, ``mimetype``, ``datas``
        :return: the new ``aftersales.request``
        :raise ValidationError: when the product or the failure is missing
        """
        partner = self.env["res.partner"].browse(values.get("partner_id") or [])
        if not partner:
            partner = self._portal_find_or_create_partner(
                values.get("contact_name"), values.get("phone"), values.get("email")
            )
        serial = normalize_code(values.get("serial"))
        description = (values.get("description") or "").strip()
        if values.get("address"):
            description = "\n".join(filter(None, [description, self.env._("Address: %s", values["address"])]))
        line_vals = {
            "code": serial or False,
            "product_id": values.get("product_id") or False,
            "failure_mode_id": values.get("failure_mode_id") or False,
            "failure_description": description or False,
        }
        if serial:
            found = self.env["aftersales.warranty"].lookup(serial, partner_id=partner.id)
            if found.get("status") == "found":
                line_vals.update(
                    {
                        "match": found.get("match") or False,
                        "product_id": self._as_id(found.get("product_id")) or line_vals["product_id"],
                        "lot_id": self._as_id(found.get("lot_id")),
                        "warranty_id": self._as_id(found.get("warranty_id")),
                        "under_warranty": bool(found.get("under_warranty")),
                    }
                )
        if not line_vals["product_id"]:
            raise ValidationError(self.env._("Choose the product or give its serial or warranty card number."))
        if not (line_vals["failure_mode_id"] or values.get("description")):
            raise ValidationError(self.env._("Choose the problem from the list or describe it."))
        for key in ("latitude", "longitude"):
            try:
                line_vals[f"partner_{key}"] = float(values.get(key) or 0.0)
            except ValueError:
                line_vals[f"partner_{key}"] = 0.0
        attachments = self.env["ir.attachment"].create(
            [
                {"name": att["name"], "mimetype": att["mimetype"], "datas": att["datas"]}
                for att in values.get("attachments") or []
            ]
        )
        line_vals["attachment_ids"] = [(6, 0, attachments.ids)]
        service_request = self.create(
            {
                "partner_id": partner.id,
                "channel": "portal",
                "service_type_id": values.get("service_type_id") or self._get_portal_service_type().id,
                "line_ids": [(0, 0, line_vals)],
            }
        )
        attachments.write({"res_model": "aftersales.request.line", "res_id": service_request.line_ids[:1].id})
        service_request.message_subscribe(partner_ids=partner.ids)
        return service_request

    @api.model
    def _create_from_agent_portal(self, agent_partner, values):
        """File one request with many units for an agency, from the website batch form.

        The agency is the commercial partner of ``agent_partner``. The customer is found or
        created from ``customer_name``/``customer_phone``/``customer_email``, else the agency
        itself (units in its stock). Units come from ``rows`` (pairs code, failure) and/or a
        CSV/XLSX ``file`` (bytes) named ``filename``, parsed by the batch wizard.

        :return: ``(request, errors)``; when ``errors`` (translated strings, one per bad line)
            is not empty nothing was created
        """
        agency = agent_partner.commercial_partner_id
        entries = [
            {"line_no": index, "code": (code or "").strip(), "failure_description": (failure or "").strip() or False}
            for index, (code, failure) in enumerate(values.get("rows") or [], start=1)
            if (code or "").strip()
        ]
        if values.get("file"):
            wizard = self.env["aftersales.request.add.units"].new(
                {
                    "input_mode": "file",
                    "file": base64.b64encode(values["file"]),
                    "filename": values.get("filename") or "",
                }
            )
            offset = len(entries)
            for entry in wizard._parse_entries():
                entries.append(dict(entry, line_no=offset + entry["line_no"]))
        if not entries:
            return self, [self.env._("Give at least one warranty serial, product serial or product code.")]
        with self.env.cr.savepoint() as savepoint:
            customer = agency
            if values.get("customer_name") or values.get("customer_phone") or values.get("customer_email"):
                customer = self._portal_find_or_create_partner(
                    values.get("customer_name"), values.get("customer_phone"), values.get("customer_email")
                )
            service_request = self.create(
                {
                    "partner_id": customer.id,
                    "agent_id": agency.id,
                    "channel": "agent",
                    "service_type_id": values.get("service_type_id") or self._get_portal_service_type().id,
                }
            )
            dummy, errors = service_request._add_unit_entries(entries)
            if errors:
                savepoint.rollback()
                return self, [error["reason"] for error in errors]
        service_request.message_subscribe(partner_ids=agent_partner.ids)
        return service_request, []
