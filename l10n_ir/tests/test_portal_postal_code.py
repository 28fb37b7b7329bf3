import re

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestPortalPostalCode(HttpCase):
    """A portal customer in Iran who types a wrong postal code in *My Account* gets the form back with a
    message, and nothing is written (the partner's constraint would have shown an error page)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = new_test_user(cls.env, login="l10n_ir_portal", groups="base.group_portal", name="مریم کاظمی")
        cls.partner = cls.user.partner_id
        cls.iran = cls.env.ref("base.ir")
        cls.partner.write(
            {
                "email": "maryam@example.ir",
                "phone": "+98 912 000 1122",
                "street": "خیابان آزادی",
                "city": "تهران",
                "country_id": cls.iran.id,
                "zip": "1939613451",
            }
        )

    def _post_account(self, zipcode):
        page = self.url_open("/my/account")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        form = {
            "csrf_token": token,
            "name": self.partner.name,
            "email": self.partner.email,
            "phone": self.partner.phone,
            "street": self.partner.street,
            "city": self.partner.city,
            "country_id": str(self.iran.id),
            "zipcode": zipcode,
        }
        return self.url_open("/my/account", data=form)

    def test_wrong_postal_code_refused_on_the_form(self):
        self.authenticate("l10n_ir_portal", "l10n_ir_portal")
        response = self._post_account("193961345")
        self.assertEqual(response.status_code, 200)
        self.assertIn("An Iranian postal code has exactly 10 digits.", response.text)
        self.assertNotIn("/my/home", response.url, "the form comes back, no redirect")
        self.partner.invalidate_recordset()
        self.assertEqual(self.partner.zip, "1939613451", "nothing written")

    def test_right_postal_code_saved(self):
        self.authenticate("l10n_ir_portal", "l10n_ir_portal")
        response = self._post_account("1968913311")
        self.assertIn("/my/home", response.url)
        self.partner.invalidate_recordset()
        self.assertEqual(self.partner.zip, "1968913311")
