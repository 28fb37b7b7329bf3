from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import Command, new_test_user, tagged

from odoo.addons.aftersales_service.tests.common_flows import AftersalesProtectedFieldsCommon


@tagged("post_install", "-at_install")
class TestDispatchProtectedFields(AftersalesProtectedFieldsCommon):
    """The dispatch and travel fields this addon adds to the protected fields of a service order change
    only through the dispatch actions (moved from aftersales_service's ``TestProtectedFields``)."""

    def test_technician_cannot_write_dispatch_fields(self):
        order = self._draft_order()
        Order = order.with_user(self.tech_user)
        for vals in (
            {"dispatch_state": "accepted"},
            {"date_on_the_way": fields.Datetime.now()},
            {"eta_date": fields.Datetime.now()},
            {"dispatch_declined_technician_ids": [Command.link(self.technician2.id)]},
        ):
            with self.assertRaisesRegex(AccessError, "cannot be written directly"):
                Order.write(vals)
        order.invalidate_recordset()
        self.assertEqual(order.dispatch_state, "offered")
        self.assertFalse(order.date_on_the_way)
        self.assertFalse(order.eta_date)
        self.assertFalse(order.dispatch_declined_technician_ids)

    def test_reception_cannot_create_orders_with_dispatch_state(self):
        reception = new_test_user(
            self.env, login="flows_reception", groups="base.group_user,aftersales_warranty.group_aftersales_user"
        )
        count = self.env["repair.order"].search_count([])
        with self.assertRaisesRegex(AccessError, "cannot be written directly"):
            self.env["repair.order"].with_user(reception).create(
                {
                    "product_id": self.device.id,
                    "partner_id": self.customer.id,
                    "service_type_id": self.service_type.id,
                    "dispatch_state": "accepted",
                }
            )
        self.assertEqual(self.env["repair.order"].search_count([]), count)

    def test_assignment_wizard_makes_an_offer(self):
        order = self._draft_order()
        wizard = (
            self.env["repair.order.assign.technician"]
            .with_user(self.dispatcher)
            .create({"repair_ids": [Command.set(order.ids)], "technician_id": self.technician2.id})
        )
        wizard.action_assign()
        self.assertEqual(order.technician_id, self.technician2)
        self.assertEqual(order.dispatch_state, "offered")

    def test_dispatch_actions_still_work_for_their_roles(self):
        order = self._draft_order()
        order.with_user(self.tech_user).action_dispatch_accept()
        self.assertEqual(order.dispatch_state, "accepted")
        self.assertTrue(order.date_accepted)
        order.with_user(self.tech_user).action_on_my_way(35.70, 51.40)
        self.assertTrue(order.date_on_the_way)
        order.action_validate()  # the workshop confirms the order (reads stock)
        order.with_user(self.tech_user).action_start(35.6892, 51.3890)
        self.assertEqual(order.state, "under_repair")
        self.assertTrue(order.date_started)
        self.assertAlmostEqual(order.start_latitude, 35.6892)
        # another technician may not set someone else's order on the way
        other = self._draft_order(self.technician2)
        with self.assertRaises(AccessError):
            other.with_user(self.tech_user).action_on_my_way()
        self.assertFalse(other.date_on_the_way)
