import json
from datetime import timedelta

from odoo import fields

from odoo.addons.aftersales_portal.tests.common import AftersalesPortalCase

API = "/aftersales/api/v1"


class AftersalesApiCase(AftersalesPortalCase):
    """The portal's test world (two customers, an agency and its agent, two technicians, a request
    and an order each) with an API key for each of its users."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.endpoint = cls.env.ref("aftersales_api.fastapi_endpoint_aftersales")
        cls.endpoint._handle_registry_sync()
        cls.key_a = cls._key(cls.user_a)
        cls.key_b = cls._key(cls.user_b)
        cls.key_agent = cls._key(cls.user_agent)
        cls.key_tech = cls._key(cls.user_tech)
        cls.key_tech2 = cls._key(cls.user_tech2)

    def setUp(self):
        super().setUp()
        # counters of earlier calls from this address (the same database served before) start afresh
        self.env["aftersales.portal.rate"].sudo().search([("bucket", "in", ("api_token", "warranty_check"))]).unlink()

    @classmethod
    def _key(cls, user, scope="aftersales_api", days=30):
        expiry = fields.Datetime.now() + timedelta(days=days)
        return cls.env["res.users.apikeys"].with_user(user).sudo()._generate(scope, "test", expiry)

    def api(self, method, path, key=None, json_body=None, data=None, files=None, headers=None):
        headers = dict(headers or {})
        if key:
            headers["Authorization"] = f"Bearer {key}"
        if json_body is not None:
            headers["Content-Type"] = "application/json"
            data = json.dumps(json_body)
        return self.opener.request(
            method, self.base_url() + API + path, data=data, files=files, headers=headers, timeout=30
        )

    def assertStatus(self, response, code):
        self.assertEqual(response.status_code, code, response.text[:1000])
        self.assertEqual(
            response.headers.get("Content-Type", "").split(";")[0], "application/json", response.text[:300]
        )
        return response.json()
