import base64
import re

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


class AftersalesPortalCase(HttpCase):
    """Two customers, an agency with its agent, two technicians, and a request with an order each."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.service_type = env["aftersales.service.type"].create({"name": "Portal Test Repair", "sequence": -100})
        cls.failure_mode = env["aftersales.failure.mode"].create({"name": "Does not start"})
        cls.product = env["product.product"].create(
            {
                "name": "Tour Washing Machine",
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
                "is_serviceable": True,
            }
        )
        cls.part = env["product.product"].create(
            {
                "name": "Drum Belt",
                "type": "consu",
                "default_code": "PT-BELT-01",
                "barcode": "6260000000011",
                "aftersales_compatible_product_ids": [Command.link(cls.product.product_tmpl_id.id)],
            }
        )
        cls.lot = env["stock.lot"].create({"name": "WM-PT-0001", "product_id": cls.product.id})
        cls.lot_b, cls.lot_c, cls.lot_d = env["stock.lot"].create(
            [{"name": f"WM-PT-000{index}", "product_id": cls.product.id} for index in (2, 3, 4)]
        )
        if "aftersales.worklog.action" in env:
            cls.worklog_action = env["aftersales.worklog.action"].create(
                {"code": "PT-CLEAN", "name": "Cleaned the drum"}
            )
        cls.warranty_type = env["aftersales.warranty.type"].create({"name": "Portal 12 months", "duration": 12})

        cls.user_a = new_test_user(env, login="pt_cust_a", password="pt_cust_a", groups="base.group_portal")
        cls.user_a.partner_id.write({"name": "Customer Alpha Private", "phone": "+989121110001"})
        cls.user_b = new_test_user(env, login="pt_cust_b", password="pt_cust_b", groups="base.group_portal")
        cls.agency = env["res.partner"].create({"name": "Agency Tehran", "is_company": True})
        cls.agency_other = env["res.partner"].create({"name": "Agency Shiraz", "is_company": True})
        cls.user_agent = new_test_user(
            env,
            login="pt_agent",
            password="pt_agent",
            groups="base.group_portal,aftersales_portal.group_aftersales_portal_agent",
        )
        cls.user_agent.partner_id.parent_id = cls.agency

        cls.warranty = env["aftersales.warranty"].create(
            {
                "name": "WC-PT-7001",
                "lot_id": cls.lot.id,
                "product_id": cls.product.id,
                "partner_id": cls.user_a.partner_id.id,
                "warranty_type_id": cls.warranty_type.id,
                "date_start": fields.Date.today(),
            }
        )
        cls.warranty.action_activate()

        cls.user_tech = new_test_user(env, login="pt_tech", password="pt_tech", groups="base.group_portal")
        cls.user_tech2 = new_test_user(env, login="pt_tech2", password="pt_tech2", groups="base.group_portal")
        cls.tech = env["hr.employee"].create(
            {"name": "Reza Technician", "user_id": cls.user_tech.id, "is_technician": True}
        )
        cls.tech2 = env["hr.employee"].create(
            {"name": "Sara Technician", "user_id": cls.user_tech2.id, "is_technician": True}
        )

        cls.request_a = cls._make_request(cls.user_a.partner_id, cls.lot)
        cls.request_b = cls._make_request(cls.user_b.partner_id, cls.lot_b)
        cls.request_agency_other = cls._make_request(cls.user_b.partner_id, False, agent=cls.agency_other)
        cls.request_agency = cls._make_request(cls.user_b.partner_id, False, agent=cls.agency)
        cls.order_a = env["repair.order"].create(
            {
                "partner_id": cls.user_a.partner_id.id,
                "product_id": cls.product.id,
                "lot_id": cls.lot.id,
                "is_aftersales": True,
                "aftersales_request_id": cls.request_a.id,
                "aftersales_request_line_id": cls.request_a.line_ids.id,
                "technician_id": cls.tech.id,
            }
        )

    @classmethod
    def _make_request(cls, partner, lot, agent=False):
        return cls.env["aftersales.request"].create(
            {
                "partner_id": partner.id,
                "agent_id": agent and agent.id,
                "channel": "agent" if agent else "counter",
                "service_type_id": cls.service_type.id,
                "line_ids": [
                    Command.create(
                        {
                            "code": lot.name if lot else "CODE",
                            "product_id": cls.product.id,
                            "lot_id": lot and lot.id,
                            "failure_description": "Noise",
                        }
                    )
                ],
            }
        )

    def _csrf(self, url):
        page = self.url_open(url)
        match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        self.assertTrue(match, f"{url} carries a CSRF token")
        return match.group(1)
