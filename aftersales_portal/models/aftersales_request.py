import base64
import logging
from urllib.parse import quote as url_quote

from odoo import api, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.aftersales_service.models.aftersales_request import OPEN_REQUEST_STATES
from odoo.addons.aftersales_warranty.tools import normalize_code

from ..tools import parse_coordinate, text_error, text_problem

_logger = logging.getLogger(__name__)

# Photos of a request shown to its customer on the website: the types the upload form accepts
PORTAL_PHOTO_MIMETYPES = ("image/jpeg", "image/png", "image/webp")


class PortalOpenRequestError(ValidationError):
    """A unit asked for on the website already has an open request.

    ``url`` leads to that request when the visitor is its customer, else it is ``False`` and the
    message names nothing of it.
    """

    def __init__(self, message, url=False):
        super().__init__(message)
        self.url = url


class AftersalesRequest(models.Model):
    _inherit = "aftersales.request"
    # customers and agents who may read a request may also write in its conversation
    _mail_post_access = "read"

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for service_request in self:
            service_request.access_url = f"/my/aftersales/requests/{service_request.id}"
        return res

    def _get_report_base_filename(self):
        """File name of the reception receipt the portal serves (hook of portal's report download)."""
        self.ensure_one()
        return self.env._("Reception Receipt - %s", self.name)

    @api.model
    def _portal_find_or_create_partner(self, name, phone=False, email=False, company=False, domain=None):
        """The customer behind a checked phone number or email: an existing contact, else a new one.

        :param phone: a normalized mobile number (``+989121234567``), see ``aftersales.portal.otp._normalize_target``
        :param email: a normalized email address
        :param company: company of a new contact (so that other companies do not read it); existing
            contacts are matched only among those shared by all companies or of this company
        :param domain: limits which existing contacts may be matched (agents: their own customers)
        :return: ``(partner, created)``
        """
        Partner = self.env["res.partner"].with_context(active_test=True)
        base = list(domain or [])
        if company:
            base += [("company_id", "in", [False, company.id])]
        partner = Partner
        if email:
            partner = Partner.search(base + [("email_normalized", "=", email)], order="id", limit=1)
        if not partner and phone:
            variants = self._portal_phone_variants(phone)
            partner = Partner.search(
                base
                + ["|", "|", ("phone", "in", variants), ("mobile", "in", variants), ("phone_sanitized", "=", phone)],
                order="id",
                limit=1,
            )
        if partner:
            return partner, False
        partner = Partner.create(
            {
                "name": (name or "").strip() or phone or email,
                "phone": phone or False,
                "email": email or False,
                "company_id": company.id if company else False,
            }
        )
        return partner, True

    @staticmethod
    def _portal_phone_variants(phone):
        """Usual spellings of a normalized number in contacts (``+98912...``, ``0912...``, ``98912...``)."""
        variants = [phone]
        if phone.startswith("+98"):
            variants += [f"0{phone[3:]}", phone[1:], f"00{phone[1:]}"]
        elif phone.startswith("+"):
            variants += [phone[1:], f"00{phone[1:]}"]
        return variants

    @api.model
    def _portal_agency_customer_domain(self, agency):
        """Contacts an agency may file for by name, phone or email: its own customers.

        They are the agency's own contacts (``child_of`` its commercial partner) and the customers of
        requests the agency filed before. Anybody else is never matched: the agent creates a new
        contact rather than learning that the phone or email is known.
        """
        filed = self.sudo()._search([("agent_id", "child_of", agency.id)])
        return ["|", ("id", "child_of", agency.id), ("id", "in", filed.subselect("partner_id"))]

    @api.model
    def _get_portal_service_type(self):
        """Service type of requests filed on the website: the first active one in sequence."""
        return self.env["aftersales.service.type"].search([], limit=1)

    # Longest texts accepted from the website forms (characters)
    PORTAL_TEXT_LIMITS = {"contact_name": 128, "serial": 64, "description": 4000, "address": 1000}

    @api.model
    def _portal_check_texts(self, values):
        """Refuse texts the database cannot store or that are far too long, naming the field."""
        labels = {
            "contact_name": self.env._("Name"),
            "serial": self.env._("Serial or warranty card number"),
            "description": self.env._("Description"),
            "address": self.env._("Address"),
        }
        errors = []
        for key, max_length in self.PORTAL_TEXT_LIMITS.items():
            problem = text_problem(values.get(key), max_length, multiline=key in ("description", "address"))
            if problem:
                errors.append(text_error(self.env, labels[key], problem, max_length))
        if errors:
            raise ValidationError("\n".join(errors))

    @api.model
    def _create_from_portal(self, values, otp=None):
        """Create a request (channel ``portal``) from the customer form of the website.

        The customer is the signed-in user's contact (``partner_id``) or, for an anonymous visitor,
        the owner of the phone number or email proven by ``otp``: phone and email typed in the form
        are never used as an identity. An anonymous visitor matched to an existing customer is not
        shown anything of that customer (see the return value), and a warranty card is attached to
        the unit only when it belongs to the customer.

        :param dict values: ``partner_id`` (signed-in customer) or ``contact_name``; ``product_id``,
            ``serial`` (warranty serial, product serial or product code), ``failure_mode_id``,
            ``description``, ``latitude``, ``longitude``, ``address``, ``company_id`` (the website's
            company, for a new contact); ``attachments``: list of dicts ``name``, ``mimetype``, ``datas``
        :param otp: the visitor's verified ``aftersales.portal.otp`` (anonymous visitors only)
        :return: ``(request, visitor_may_follow)``; ``visitor_may_follow`` is ``False`` when an
            anonymous visitor was matched to an existing customer: the request page (customer name,
            receipt with phone) must then not be shown to the visitor
        :raise ValidationError: when the identity, the product or the failure is missing or a text is invalid
        :raise PortalOpenRequestError: when the unit already has an open request (nothing is created)
        """
        self._portal_check_texts(values)
        anonymous = otp is not None
        if anonymous:
            if not otp or otp.state != "verified":
                raise ValidationError(self.env._("Verify your phone number or email with the code we send you."))
            company = self.env["res.company"].browse(values.get("company_id") or []).exists() or self.env.company
            partner, created = self._portal_find_or_create_partner(
                values.get("contact_name"),
                phone=otp.target if otp.channel == "sms" else False,
                email=otp.target if otp.channel == "email" else False,
                company=company,
            )
        else:
            partner, created = self.env["res.partner"].browse(values.get("partner_id") or []).exists(), False
            if not partner:
                raise ValidationError(self.env._("Sign in or verify your phone number or email to ask for service."))
        product = self.env["product.product"].browse(values.get("product_id") or []).exists()
        failure_mode = self.env["aftersales.failure.mode"].browse(values.get("failure_mode_id") or []).exists()
        serial = normalize_code(values.get("serial"))
        description = (values.get("description") or "").strip()
        if values.get("address"):
            description = "\n".join(filter(None, [description, self.env._("Address: %s", values["address"])]))
        line_vals = {
            "code": serial or False,
            "product_id": product.id,
            "failure_mode_id": failure_mode.id,
            "failure_description": description or False,
        }
        if serial:
            found = self.env["aftersales.warranty"].lookup(serial, partner_id=partner.id)
            line_vals.update(self._portal_unit_vals(found, partner, anonymous))
        if line_vals.get("lot_id"):
            self._portal_check_unit_not_open(line_vals["lot_id"], partner, anonymous)
        if not line_vals["product_id"]:
            raise ValidationError(self.env._("Choose the product or give its serial or warranty card number."))
        if not (line_vals["failure_mode_id"] or values.get("description")):
            raise ValidationError(self.env._("Choose the problem from the list or describe it."))
        line_vals["partner_latitude"] = parse_coordinate(values.get("latitude"), 90)
        line_vals["partner_longitude"] = parse_coordinate(values.get("longitude"), 180)
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
        return service_request, not anonymous or created

    @api.model
    def _portal_check_unit_not_open(self, lot_id, partner, anonymous):
        """Refuse a second request for a unit that already has an open one, as the back office does
        (``_check_unit_entry`` with ``check_open``).

        The open request is named, with a link, only to its own customer (or agency): the signed-in
        user, or the owner of the phone number or email an anonymous visitor proved. An anonymous
        visitor is never given the request page (see ``_create_from_portal``): the link asks them
        to sign in. Anybody else only learns that the unit has an open request.

        :raise PortalOpenRequestError: when the unit has an open request
        """
        # sudo: other customers' requests are searched only to refuse; nothing of them is shown
        # unless they are the visitor's own
        open_request = (
            self.env["aftersales.request.line"]
            .sudo()
            .search([("lot_id", "=", lot_id), ("request_state", "in", OPEN_REQUEST_STATES)], order="id", limit=1)
            .request_id
        )
        if not open_request:
            return
        customer = partner.commercial_partner_id
        owners = open_request.partner_id.commercial_partner_id | open_request.agent_id.commercial_partner_id
        if not customer or customer not in owners:
            raise PortalOpenRequestError(self.env._("A request is already open for this unit."))
        url = open_request.access_url
        if anonymous:
            url = f"/web/login?redirect={url_quote(url, safe='')}"
        raise PortalOpenRequestError(
            self.env._(
                "A request is already open for this unit: %(reference)s. Follow it there; there is no need "
                "to ask again.",
                reference=open_request.name,
            ),
            url=url,
        )

    def _get_portal_photos(self):
        """Photos of the requests' units (JPEG, PNG or WebP attached to their lines), shown to the customer."""
        return self.line_ids.attachment_ids.filtered(lambda att: att.mimetype in PORTAL_PHOTO_MIMETYPES)

    @api.model
    def _portal_unit_vals(self, found, partner, anonymous):
        """Line values from a lookup of the code typed on the website.

        What the request page shows back must be what the filer typed or owns: the warranty card
        is attached only when it is the customer's own; a card number of somebody else gives
        neither its card nor its unit (the serial behind it); a product code gives an anonymous
        visitor the product only, never one of the customer's units.
        """
        if found.get("status") != "found":
            return {}
        match = found.get("match") or False
        vals = {"match": match}
        if found.get("product_id"):
            vals["product_id"] = self._as_id(found.get("product_id"))
        owner = self.env["res.partner"].browse(self._as_id(found.get("partner_id")) or [])
        own = bool(owner) and owner.commercial_partner_id == partner.commercial_partner_id
        if (match == "product_code" and anonymous) or (match == "warranty_serial" and not own):
            return vals
        vals["lot_id"] = self._as_id(found.get("lot_id"))
        if found.get("warranty_id") and own:
            vals.update(
                {
                    "warranty_id": self._as_id(found.get("warranty_id")),
                    "under_warranty": bool(found.get("under_warranty")),
                }
            )
        return vals

    # Most units in one batch of the agents' form, longest code and failure text (characters)
    PORTAL_BATCH_MAX_LINES = 1000
    PORTAL_BATCH_CODE_LENGTH = 64
    PORTAL_BATCH_FAILURE_LENGTH = 1000

    @api.model
    def _portal_batch_file_entries(self, content, filename, offset):
        """Entries of the agents' CSV/XLSX file, read by the batch wizard's parser.

        :return: ``(entries, errors)``; a file the parser cannot read gives one clear message
            instead of the parser's own text (never shown to agents)
        """
        wizard = self.env["aftersales.request.add.units"].new(
            {"input_mode": "file", "file": base64.b64encode(content), "filename": filename or ""}
        )
        try:
            parsed = wizard._parse_entries()
        except UserError as error:
            # the reader's own messages: translated, naming the limit or the fault, no parser text
            return [], [str(error)]
        except Exception:  # noqa: BLE001 - any other parser failure (csv, zip, xml, encoding) is a bad file
            _logger.info("Agent batch file %r could not be read", filename, exc_info=True)
            return [], [
                self.env._(
                    "%(file)s could not be read: upload a CSV file (UTF-8) or an XLSX workbook "
                    "with the codes in the first column and the failures in the second.",
                    file=filename,
                )
            ]
        return [dict(entry, line_no=offset + entry["line_no"]) for entry in parsed], []

    @api.model
    def _portal_batch_entry_errors(self, entries):
        """Texts of the batch lines that the database cannot store or that are far too long."""
        errors = []
        for entry in entries:
            for key, max_length, label in (
                ("code", self.PORTAL_BATCH_CODE_LENGTH, self.env._("code")),
                ("failure_description", self.PORTAL_BATCH_FAILURE_LENGTH, self.env._("failure")),
            ):
                problem = text_problem(entry.get(key), max_length)
                if problem:
                    errors.append(
                        self.env._(
                            "Line %(line)s: %(error)s",
                            line=entry["line_no"],
                            error=text_error(self.env, label, problem, max_length),
                        )
                    )
        return errors

    @api.model
    def _portal_agent_customer(self, agency, values):
        """The customer an agent files for: found among the agency's own customers, else created.

        :return: ``(partner, errors)``
        """
        errors = []
        name = values.get("customer_name") or ""
        problem = text_problem(name, 128)
        if problem:
            errors.append(text_error(self.env, self.env._("Customer name"), problem, 128))
        Otp = self.env["aftersales.portal.otp"]
        phone = email = False
        for key, label, channel in (
            ("customer_phone", self.env._("Customer mobile"), "sms"),
            ("customer_email", self.env._("Customer email"), "email"),
        ):
            if not values.get(key):
                continue
            try:
                read_channel, target = Otp._normalize_target(values[key])
            except UserError:
                read_channel = target = False
            if read_channel != channel:
                errors.append(self.env._("%(field)s is not valid.", field=label))
            elif channel == "sms":
                phone = target
            else:
                email = target
        if errors:
            return self.env["res.partner"], errors
        if not (name.strip() or phone or email):
            return agency, []
        partner, dummy = self._portal_find_or_create_partner(
            name,
            phone=phone,
            email=email,
            company=agency.company_id or self.env.company,
            domain=self._portal_agency_customer_domain(agency),
        )
        return partner, []

    @api.model
    def _create_from_agent_portal(self, agent_partner, values):
        """File one request with many units for an agency, from the website batch form.

        The agency is the commercial partner of ``agent_partner``. The customer is found among the
        agency's own customers (see :meth:`_portal_agency_customer_domain`) or created, in the agency's
        company, from ``customer_name``/``customer_phone``/``customer_email``; else it is the agency
        itself (units in its stock). Units come from ``rows`` (pairs code, failure) and/or a
        CSV/XLSX ``file`` (bytes) named ``filename``, parsed by the batch wizard. Units of other
        customers are answered "not available", without their owner.

        :return: ``(request, errors)``; when ``errors`` (translated strings, one per bad line)
            is not empty nothing was created
        """
        agency = agent_partner.commercial_partner_id
        entries = []
        for index, row in enumerate(values.get("rows") or [], start=1):
            code, failure = (list(row) + ["", ""])[:2]
            if isinstance(code, str) and code.strip():
                failure = failure.strip() if isinstance(failure, str) else ""
                entries.append({"line_no": index, "code": code.strip(), "failure_description": failure or False})
        errors = []
        if values.get("file"):
            file_entries, errors = self._portal_batch_file_entries(values["file"], values.get("filename"), len(entries))
            entries += file_entries
        if errors:
            return self, errors
        if not entries:
            return self, [self.env._("Give at least one warranty serial, product serial or product code.")]
        if len(entries) > self.PORTAL_BATCH_MAX_LINES:
            return self, [
                self.env._(
                    "Too many units: at most %(count)s in one request; split the file.",
                    count=self.PORTAL_BATCH_MAX_LINES,
                )
            ]
        errors = self._portal_batch_entry_errors(entries)
        if errors:
            return self, errors
        with self.env.cr.savepoint() as savepoint:
            customer, errors = self._portal_agent_customer(agency, values)
            if errors:
                savepoint.rollback()
                return self, errors
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
