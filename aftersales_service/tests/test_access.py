from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import AftersalesServiceCase


@tagged("post_install", "-at_install")
class TestAccess(AftersalesServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        request = cls.env["aftersales.request"].create(
            {"partner_id": cls.customer.id, "service_type_id": cls.service_type.id, "service_centre_id": cls.centre.id}
        )
        request._add_unit_codes(["WC-TEST-001", "KET10"])
        request.action_receive()
        cls.request = request
        cls.order1, cls.order2 = request.repair_ids.sorted("id")
        cls.order1.technician_id = cls.tech1
        cls.order2.technician_id = cls.tech2

    def test_technician_sees_only_own_orders(self):
        Repair = self.env["repair.order"].with_user(self.user_tech1)
        self.assertEqual(Repair.search([("is_aftersales", "=", True)]), self.order1)
        self.order1.with_user(self.user_tech1).read(["name", "lot_id", "technician_id", "warranty_id"])
        with self.assertRaises(AccessError):
            self.order2.with_user(self.user_tech1).read(["name"])
        with self.assertRaises(AccessError):
            self.order2.with_user(self.user_tech1).write({"internal_notes": "x"})
        self.order1.with_user(self.user_tech1).write({"internal_notes": "Checked the motor"})
        self.assertEqual(self.request.with_user(self.user_tech1).name, self.request.name)

    def test_technician_cannot_configure(self):
        with self.assertRaises(AccessError):
            self.service_type.with_user(self.user_tech1).write({"name": "Hacked"})
        with self.assertRaises(AccessError):
            self.env["aftersales.service.centre"].with_user(self.user_tech1).create({"name": "X", "code": "X"})
        with self.assertRaises(AccessError):
            self.env["repair.order"].with_user(self.user_tech1).create({"partner_id": self.customer.id})

    def test_reception_creates_requests_not_configuration(self):
        request = (
            self.env["aftersales.request"]
            .with_user(self.user_reception)
            .create(
                {
                    "partner_id": self.customer.id,
                    "service_type_id": self.service_type.id,
                    "service_centre_id": self.centre.id,
                }
            )
        )
        request._add_unit_codes(["SVC-TEST-004"])
        request.action_receive()
        self.assertEqual(request.repair_count, 1, "receiving creates the service orders")
        self.assertTrue(self.order2.with_user(self.user_reception).read(["name"]))
        with self.assertRaises(AccessError):
            self.order2.with_user(self.user_reception).write({"internal_notes": "x"})
        with self.assertRaises(AccessError):
            self.env["aftersales.service.type"].with_user(self.user_reception).create({"name": "New"})
        with self.assertRaises(AccessError):
            self.priority_high.with_user(self.user_reception).unlink()

    def test_dispatcher_assigns(self):
        action = self.order2.with_user(self.user_dispatcher).action_assign_technician()
        self.env[action["res_model"]].with_user(self.user_dispatcher).with_context(**action["context"]).create(
            {"technician_id": self.tech1.id}
        ).action_assign()
        self.assertEqual(self.order2.technician_id, self.tech1)
        with self.assertRaises(AccessError):
            self.order2.with_user(self.user_dispatcher).write({"technician_id": self.tech2.id})
        self.assertEqual(self.order2.technician_id, self.tech1)
        with self.assertRaises(AccessError):
            self.env["repair.order.assign.technician"].with_user(self.user_reception).create(
                {"technician_id": self.tech1.id, "repair_ids": self.order2.ids}
            )

    def test_other_company_requests_hidden(self):
        other_company = self.env["res.company"].create({"name": "Other Co"})
        foreign = self.env["aftersales.request"].create(
            {"partner_id": self.customer.id, "service_type_id": self.service_type.id, "company_id": other_company.id}
        )
        visible = self.env["aftersales.request"].with_user(self.user_reception).search([])
        self.assertNotIn(foreign, visible)
        self.assertIn(self.request, visible)
