from odoo import _
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

from ..tools import is_valid_postal_code


class L10nIrCustomerPortal(CustomerPortal):
    def details_form_validate(self, data, partner_creation=False):
        """An Iranian postal code typed in the portal's account form is checked like in the back office:
        a clear message on the form, not the error page of the partner's constraint."""
        error, error_message = super().details_form_validate(data, partner_creation=partner_creation)
        country_id = str(data.get("country_id") or "")
        country = request.env["res.country"].browse(int(country_id)) if country_id.isdigit() else None
        zipcode = data.get("zipcode")
        if zipcode and country and country.exists().code == "IR" and not is_valid_postal_code(zipcode):
            error["zip"] = "error"
            error_message.append(_("An Iranian postal code has exactly 10 digits."))
        return error, error_message
