from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools import (
    is_valid_economic_code,
    is_valid_legal_national_id,
    is_valid_national_code,
    is_valid_postal_code,
    normalize_digits,
)

# fields stored as plain ASCII digits, whatever digits and separators were typed
_L10N_IR_DIGIT_FIELDS = ("l10n_ir_national_id", "l10n_ir_economic_code")


class ResPartner(models.Model):
    _inherit = "res.partner"

    l10n_ir_national_id = fields.Char(
        string="National ID",
        index="btree_not_null",
        help="Iranian national code of a person (کد ملی, 10 digits) or national ID of a legal entity "
        "(شناسه ملی, 11 digits), printed on invoices.",
    )
    l10n_ir_economic_code = fields.Char(
        string="Economic Code",
        help="Iranian economic code (کد اقتصادی, 10 to 14 digits), printed on invoices.",
    )

    @api.constrains("l10n_ir_national_id")
    def _check_l10n_ir_national_id(self):
        for partner in self.filtered("l10n_ir_national_id"):
            code = partner.l10n_ir_national_id
            if not (is_valid_national_code(code) or is_valid_legal_national_id(code)):
                raise ValidationError(
                    _(
                        "%(partner)s: the national ID %(code)s is not valid: a person's national code has 10 "
                        "digits and a legal entity's national ID 11, the last one a check digit.",
                        partner=partner.display_name,
                        code=code,
                    )
                )

    @api.constrains("l10n_ir_economic_code")
    def _check_l10n_ir_economic_code(self):
        for partner in self.filtered("l10n_ir_economic_code"):
            if not is_valid_economic_code(partner.l10n_ir_economic_code):
                raise ValidationError(
                    _(
                        "%(partner)s: the economic code %(code)s is not valid: it has 10 to 14 digits.",
                        partner=partner.display_name,
                        code=partner.l10n_ir_economic_code,
                    )
                )

    @api.constrains("zip", "country_id")
    def _check_l10n_ir_zip(self):
        for partner in self.filtered(lambda p: p.zip and p.country_id.code == "IR"):
            if not is_valid_postal_code(partner.zip):
                raise ValidationError(
                    _(
                        "%(partner)s: the Iranian postal code %(zip)s is not valid: it has exactly 10 digits.",
                        partner=partner.display_name,
                        zip=partner.zip,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._l10n_ir_normalize_vals(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._l10n_ir_normalize_vals(vals)
        return super().write(vals)

    @api.model
    def _l10n_ir_normalize_vals(self, vals):
        """Store the identifiers as ASCII digits (Persian digits, spaces and dashes are accepted)."""
        for fname in _L10N_IR_DIGIT_FIELDS:
            if vals.get(fname):
                vals[fname] = normalize_digits(vals[fname])

    @api.model
    def _commercial_fields(self):
        """Contacts of a company carry its identifiers, like its tax ID."""
        return super()._commercial_fields() + list(_L10N_IR_DIGIT_FIELDS)
