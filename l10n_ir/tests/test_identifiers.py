from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged

from odoo.addons.l10n_ir.tools import (
    is_valid_economic_code,
    is_valid_legal_national_id,
    is_valid_national_code,
    is_valid_postal_code,
)


@tagged("post_install", "-at_install")
class TestIdentifiers(TransactionCase):
    """National ID, economic code and postal code of Iranian partners: checked, stored as ASCII digits."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.iran = cls.env.ref("base.ir")

    def test_check_digits(self):
        self.assertTrue(is_valid_national_code("0499370899"))
        self.assertTrue(is_valid_national_code("۰۰۱۳۵۴۲۴۱۹"), "Persian digits")
        self.assertFalse(is_valid_national_code("0499370898"), "wrong check digit")
        self.assertFalse(is_valid_national_code("1111111111"), "one repeated digit")
        self.assertFalse(is_valid_national_code("049937089"), "nine digits")
        self.assertTrue(is_valid_legal_national_id("10100834460"))
        self.assertTrue(is_valid_legal_national_id("10101234565"))
        self.assertFalse(is_valid_legal_national_id("10101234567"), "wrong check digit")
        self.assertTrue(is_valid_economic_code("411111111111"))
        self.assertFalse(is_valid_economic_code("41111"))
        self.assertFalse(is_valid_economic_code("4111111111AB"))
        self.assertTrue(is_valid_postal_code("19396-13451"), "postal codes are often written 5-5")
        self.assertFalse(is_valid_postal_code("193961345"))

    def test_partner_fields_normalized(self):
        partner = self.env["res.partner"].create(
            {
                "name": "شرکت نمونه",
                "is_company": True,
                "country_id": self.iran.id,
                "zip": "1939613451",
                "l10n_ir_national_id": "۱۰۱۰۰۸۳۴۴۶۰",
                "l10n_ir_economic_code": "4111 1111 1111",
            }
        )
        self.assertEqual(partner.l10n_ir_national_id, "10100834460")
        self.assertEqual(partner.l10n_ir_economic_code, "411111111111")
        contact = self.env["res.partner"].create({"name": "حسابداری", "parent_id": partner.id})
        self.assertEqual(contact.l10n_ir_economic_code, "411111111111", "contacts carry the company's codes")

    def test_partner_invalid_values_refused(self):
        partner = self.env["res.partner"].create({"name": "Customer", "country_id": self.iran.id})
        for vals, reason in (
            ({"l10n_ir_national_id": "0499370898"}, "national ID"),
            ({"l10n_ir_economic_code": "12345"}, "economic code"),
            ({"zip": "193961345"}, "postal code"),
        ):
            with self.subTest(reason), self.assertRaisesRegex(ValidationError, reason):
                with self.env.cr.savepoint():
                    partner.write(vals)
        self.assertFalse(partner.l10n_ir_national_id or partner.l10n_ir_economic_code or partner.zip, "nothing written")
        abroad = self.env["res.partner"].create(
            {"name": "Abroad", "country_id": self.env.ref("base.de").id, "zip": "10115"}
        )
        self.assertEqual(abroad.zip, "10115", "other countries keep their own postal codes")
        with self.assertRaisesRegex(ValidationError, "postal code"):
            abroad.country_id = self.iran
