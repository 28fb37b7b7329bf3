import re

from lxml import etree

from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import DispatchCommon


@tagged("post_install", "-at_install")
class TestOrderFormRoles(DispatchCommon):
    """The service order form shows each role the buttons it uses, in the order it uses them: a
    dispatcher one way to assign, a technician accept, on my way, start, end; never Odoo's
    "Create Quotation" or "Confirm Repair" to a technician."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.first = cls._technician("Reza Ahmadi", 35.7050, 51.4000, login="reza_roles")
        cls.service_type.auto_dispatch = True

    def _visible_buttons(self, order, user):
        """Header buttons ``user`` sees on ``order``'s form: the arch as served to the user (groups
        applied), the ``invisible`` expressions evaluated on the record as the user reads it."""
        order = order.with_user(user)
        arch = order.get_views([(False, "form")])["views"]["form"]["arch"]
        names = set(order._fields)
        buttons = []
        for button in etree.fromstring(arch).xpath("//header/button"):
            expr = button.get("invisible") or "False"
            values = {}
            for name in set(re.findall(r"[a-z_][a-z0-9_]*", expr)) & names:
                value = order[name]
                values[name] = value.id if hasattr(value, "_name") else value
            if not safe_eval(expr, values):
                buttons.append((button.get("name"), button.get("string")))
        return buttons

    def test_technician_accepts_then_travels_then_starts(self):
        order = self._order()  # auto-dispatched: offered to the first technician
        self.assertEqual(order.dispatch_state, "offered")
        user = self.first.user_id
        buttons = self._visible_buttons(order, user)
        names = [name for name, dummy in buttons]
        self.assertEqual(names[:2], ["action_dispatch_accept", "action_dispatch_decline_wizard"], buttons)
        self.assertNotIn("action_accept", names, "one accept button only")
        for office in (
            "action_validate",
            "action_create_sale_order",
            "action_dispatch_suggest",
            "action_repair_cancel",
        ):
            self.assertNotIn(office, names)

        order.with_user(user).action_dispatch_accept()
        names = [name for name, dummy in self._visible_buttons(order, user)]
        self.assertNotIn("action_accept", names)
        self.assertNotIn("action_dispatch_accept", names)
        self.assertEqual(names[:2], ["action_on_my_way", "action_repair_start"], names)

        order.with_user(user).action_repair_start()
        names = [name for name, dummy in self._visible_buttons(order, user)]
        self.assertEqual(names[0], "action_repair_end", names)

    def test_dispatcher_has_one_way_to_assign(self):
        self.service_type.auto_dispatch = False
        order = self._order()
        buttons = self._visible_buttons(order, self.dispatcher)
        assigning = [
            (name, label)
            for name, label in buttons
            if name in ("action_dispatch_suggest", "action_assign_technician", "action_dispatch_auto")
        ]
        self.assertEqual(assigning, [("action_dispatch_suggest", "Assign Technician")], buttons)
        self.assertEqual(buttons[0][0], "action_dispatch_suggest", "assigning comes first")
        self.assertNotIn("action_accept", [name for name, dummy in buttons], "accepting is the technician's")
