from datetime import timedelta

from odoo import fields
from odoo.tests import TransactionCase, new_test_user


class AftersalesServiceCase(TransactionCase):
    """Fixtures shared by the aftersales_service tests: a customer with serial units under warranty,
    a service centre with its warehouse, technicians with users, and one user per role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_create_nolog=True))
        cls.company = cls.env.company
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.customer = cls.env["res.partner"].create({"name": "Sara Ahmadi", "phone": "09120000001"})
        cls.other_customer = cls.env["res.partner"].create({"name": "Reza Karimi"})
        cls.product = cls.env["product.product"].create(
            {
                "name": "Washing Machine WM-700",
                "default_code": "WM700",
                "is_storable": True,
                "tracking": "serial",
            }
        )
        cls.product_untracked = cls.env["product.product"].create(
            {"name": "Kettle K-10", "default_code": "KET10", "type": "consu"}
        )
        cls.lots = cls.env["stock.lot"].create(
            [{"name": f"SVC-TEST-{i:03d}", "product_id": cls.product.id} for i in range(1, 7)]
        )
        today = fields.Date.today()
        cls.warranty_type = cls._create_warranty_type()
        cls.warranty_valid = cls._create_warranty(
            "WC-TEST-001", cls.lots[0], cls.customer, today - timedelta(days=30), today + timedelta(days=335)
        )
        cls.warranty_expired = cls._create_warranty(
            "WC-TEST-002", cls.lots[1], cls.customer, today - timedelta(days=800), today - timedelta(days=70)
        )
        cls.warranty_other = cls._create_warranty(
            "WC-TEST-003", cls.lots[2], cls.other_customer, today - timedelta(days=10), today + timedelta(days=355)
        )
        cls.warranty_spare = cls._create_warranty(
            "WC-TEST-004", cls.lots[3], cls.customer, today - timedelta(days=10), today + timedelta(days=355)
        )

        cls.priority_high = cls.env["aftersales.priority"].create({"name": "Test High", "level": 2})
        cls.order_type = cls.env["aftersales.order.type"].create({"name": "Test Workshop", "location": "workshop"})
        cls.service_type = cls.env["aftersales.service.type"].create(
            {
                "name": "Test Repair",
                "default_order_type_id": cls.order_type.id,
                "default_priority_id": cls.priority_high.id,
                "order_creation": "on_receipt",
            }
        )
        cls.service_type_manual = cls.env["aftersales.service.type"].create(
            {"name": "Test Training", "order_creation": "manual"}
        )
        cls.centre = cls.env["aftersales.service.centre"].create(
            {"name": "Test Centre", "code": "TST", "warehouse_id": cls.warehouse.id}
        )
        cls.counter = cls.env["aftersales.counter"].create({"name": "Desk 1", "service_centre_id": cls.centre.id})

        cls.user_reception = new_test_user(
            cls.env, login="svc_reception", groups="aftersales_warranty.group_aftersales_user"
        )
        cls.user_dispatcher = new_test_user(
            cls.env, login="svc_dispatcher", groups="aftersales_service.group_aftersales_dispatcher"
        )
        cls.user_manager = new_test_user(
            cls.env,
            login="svc_manager",
            groups="aftersales_warranty.group_aftersales_manager,stock.group_stock_user",
        )
        cls.user_tech1 = new_test_user(
            cls.env, login="svc_tech1", groups="aftersales_service.group_aftersales_technician"
        )
        cls.user_tech2 = new_test_user(
            cls.env, login="svc_tech2", groups="aftersales_service.group_aftersales_technician"
        )
        cls.tech1 = cls.env["hr.employee"].create(
            {
                "name": "Ali Rezaei",
                "user_id": cls.user_tech1.id,
                "work_email": "ali@example.com",
                "is_technician": True,
                "service_centre_id": cls.centre.id,
            }
        )
        cls.tech2 = cls.env["hr.employee"].create(
            {
                "name": "Mina Hosseini",
                "user_id": cls.user_tech2.id,
                "is_technician": True,
                "service_centre_id": cls.centre.id,
            }
        )

    @classmethod
    def _create_warranty_type(cls):
        return cls.env["aftersales.warranty.type"].create({"name": "Test 12 months", "duration": 12})

    @classmethod
    def _create_warranty(cls, name, lot, partner, date_start, date_end):
        today = fields.Date.today()
        return cls.env["aftersales.warranty"].create(
            {
                "name": name,
                "lot_id": lot.id,
                "product_id": lot.product_id.id,
                "partner_id": partner.id,
                "warranty_type_id": cls.warranty_type.id,
                "date_start": date_start,
                "date_end_override": date_end,
                "state": "active" if date_end >= today else "expired",
            }
        )

    @classmethod
    def _create_request_cls(cls, codes, receive=False):
        """A request of the test customer at the test centre with one line per code; ``receive``: its
        service orders created."""
        request = cls.env["aftersales.request"].create(
            {"partner_id": cls.customer.id, "service_type_id": cls.service_type.id, "service_centre_id": cls.centre.id}
        )
        request._add_unit_codes(list(codes))
        if receive:
            request.action_receive()
        return request

    def _create_request(self, partner=None, service_type=None, codes=(), **vals):
        request = self.env["aftersales.request"].create(
            {
                "partner_id": (partner or self.customer).id,
                "service_type_id": (service_type or self.service_type).id,
                "service_centre_id": self.centre.id,
                **vals,
            }
        )
        if codes:
            request._add_unit_codes(list(codes))
        return request
