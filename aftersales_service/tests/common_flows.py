import base64
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import TransactionCase, new_test_user

SIGNATURE = base64.b64encode(b"customer-signature-strokes")


class AftersalesFlowsCommon(TransactionCase):
    """Fixtures for worklogs and parts flows: real-time valued parts, a van, technicians, a customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        env = cls.env
        cls.company = env.company
        cls.company.write(
            {
                "aftersales_worklog_auto_approve": True,
                "aftersales_worklog_signature_required": True,
                "aftersales_worklog_max_distance": 1.0,
                "aftersales_part_request_auto_approve": False,
            }
        )
        cls.warehouse = env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.stock_location = cls.warehouse.lot_stock_id
        cls.supplier_location = env.ref("stock.stock_location_suppliers")

        Account = env["account.account"]
        cls.account_valuation = Account.create(
            {"name": "Parts Stock Valuation", "code": "AS1101", "account_type": "asset_current"}
        )
        cls.account_stock_in = Account.create(
            {"name": "Parts Stock Interim (Received)", "code": "AS1102", "account_type": "asset_current"}
        )
        cls.account_stock_out = Account.create(
            {"name": "Parts Stock Interim (Delivered)", "code": "AS1103", "account_type": "asset_current"}
        )
        cls.account_income = Account.create(
            {"name": "Parts and Service Sales", "code": "AS4101", "account_type": "income"}
        )
        cls.account_cogs = Account.create({"name": "Parts Cost of Sales", "code": "AS5101", "account_type": "expense"})
        cls.account_warranty = Account.create(
            {"name": "Warranty Parts Expense", "code": "AS5201", "account_type": "expense"}
        )
        cls.stock_journal = env["account.journal"].create(
            {"name": "Parts Valuation", "type": "general", "code": "ASVJ"}
        )
        cls.company.aftersales_warranty_expense_account_id = cls.account_warranty
        cls.warranty_location = cls.company.aftersales_warranty_location_id

        cls.categ_parts = env["product.category"].create(
            {
                "name": "Spare Parts (real time)",
                "property_cost_method": "fifo",
                "property_valuation": "real_time",
                "property_stock_valuation_account_id": cls.account_valuation.id,
                "property_stock_account_input_categ_id": cls.account_stock_in.id,
                "property_stock_account_output_categ_id": cls.account_stock_out.id,
                "property_stock_journal": cls.stock_journal.id,
                "property_account_income_categ_id": cls.account_income.id,
                "property_account_expense_categ_id": cls.account_cogs.id,
            }
        )
        cls.categ_devices = env["product.category"].create(
            {"name": "Washing Machines", "property_valuation": "manual_periodic", "property_cost_method": "standard"}
        )
        cls.categ_front_load = env["product.category"].create(
            {
                "name": "Front Loaders",
                "parent_id": cls.categ_devices.id,
                "property_valuation": "manual_periodic",
                "property_cost_method": "standard",
            }
        )
        Product = env["product.product"]
        cls.device = Product.create(
            {
                "name": "Snowa Washing Machine SWD-226",
                "is_storable": True,
                "tracking": "serial",
                "categ_id": cls.categ_front_load.id,
            }
        )
        part_common = {"is_storable": True, "categ_id": cls.categ_parts.id, "taxes_id": [Command.clear()]}
        cls.pump = Product.create(
            dict(
                part_common,
                name="Drain Pump DP-226",
                default_code="DP-226",
                barcode="6260001000115",
                list_price=100.0,
                standard_price=40.0,
                aftersales_compatible_product_ids=[Command.link(cls.device.product_tmpl_id.id)],
            )
        )
        cls.seal = Product.create(
            dict(
                part_common,
                name="Door Seal (front loaders)",
                default_code="DS-FL",
                list_price=30.0,
                standard_price=10.0,
                aftersales_compatible_categ_ids=[Command.link(cls.categ_devices.id)],
            )
        )
        cls.screw = Product.create(
            dict(part_common, name="Screw M4", default_code="SC-M4", list_price=1.0, aftersales_fits_all_products=True)
        )
        cls.backlight = Product.create(
            dict(part_common, name="TV Backlight Strip", default_code="TV-BL", barcode="6260001000999", list_price=20.0)
        )
        cls.labour = Product.create(
            {
                "name": "Technician Labour",
                "type": "service",
                "list_price": 50.0,
                "uom_id": env.ref("uom.product_uom_hour").id,
                "uom_po_id": env.ref("uom.product_uom_hour").id,
                "invoice_policy": "order",
                "taxes_id": [Command.clear()],
                "property_account_income_id": cls.account_income.id,
            }
        )
        cls.service_type = env["aftersales.service.type"].create(
            {"name": "Flows Repair", "labour_product_id": cls.labour.id, "photos_required": False}
        )
        cls.service_type_photos = env["aftersales.service.type"].create(
            {"name": "Flows Installation", "labour_product_id": cls.labour.id, "photos_required": True}
        )

        cls.customer = env["res.partner"].create(
            {"name": "Reza Ahmadi", "partner_latitude": 35.6892, "partner_longitude": 51.3890}
        )
        cls.van = env["stock.location"].create(
            {"name": "Van Ali Karimi", "usage": "internal", "location_id": cls.warehouse.view_location_id.id}
        )
        cls.van2 = env["stock.location"].create(
            {"name": "Van Sara Mohammadi", "usage": "internal", "location_id": cls.warehouse.view_location_id.id}
        )
        cls.tech_user = new_test_user(
            env,
            login="flows_tech",
            name="Ali Karimi",
            groups="base.group_user,aftersales_service.group_aftersales_technician",
        )
        cls.tech2_user = new_test_user(
            env,
            login="flows_tech2",
            name="Sara Mohammadi",
            groups="base.group_user,aftersales_service.group_aftersales_technician",
        )
        cls.dispatcher = new_test_user(
            env, login="flows_dispatch", groups="base.group_user,aftersales_service.group_aftersales_dispatcher"
        )
        cls.storekeeper = new_test_user(env, login="flows_store", groups="base.group_user,stock.group_stock_user")
        Employee = env["hr.employee"]
        cls.technician = Employee.create(
            {"name": "Ali Karimi", "user_id": cls.tech_user.id, "is_technician": True, "van_location_id": cls.van.id}
        )
        cls.technician2 = Employee.create(
            {
                "name": "Sara Mohammadi",
                "user_id": cls.tech2_user.id,
                "is_technician": True,
                "van_location_id": cls.van2.id,
            }
        )
        Lot = env["stock.lot"]
        cls.lot1, cls.lot2, cls.lot3 = Lot.create(
            [
                {"name": "SWD226-2024-000123", "product_id": cls.device.id},
                {"name": "SWD226-2024-000456", "product_id": cls.device.id},
                {"name": "SWD226-2024-000789", "product_id": cls.device.id},
            ]
        )
        for lot in (cls.lot1, cls.lot2, cls.lot3):
            env["stock.quant"]._update_available_quantity(cls.device, cls.stock_location, 1, lot_id=lot)
        cls._receive(cls.pump, cls.van, 10, 40.0)
        cls._receive(cls.seal, cls.van, 10, 10.0)
        cls._receive(cls.screw, cls.van, 100, 0.1)
        cls._receive(cls.pump, cls.stock_location, 20, 40.0)

    @classmethod
    def _receive(cls, product, location, qty, cost):
        move = cls.env["stock.move"].create(
            {
                "name": "Receipt",
                "product_id": product.id,
                "product_uom": product.uom_id.id,
                "product_uom_qty": qty,
                "price_unit": cost,
                "location_id": cls.supplier_location.id,
                "location_dest_id": location.id,
            }
        )
        move._action_confirm()
        move.quantity = qty
        move.picked = True
        move._action_done()
        return move

    @classmethod
    def _qty(cls, product, location):
        return cls.env["stock.quant"]._get_available_quantity(product, location, allow_negative=True)

    @classmethod
    def _on_hand(cls, product, location):
        return product.with_context(location=location.id).qty_available

    def _make_order(self, lot=None, under_warranty=False, service_type=None, technician=None):
        order = self.env["repair.order"].create(
            {
                "product_id": self.device.id,
                "lot_id": (lot or self.lot1).id,
                "partner_id": self.customer.id,
                "under_warranty": under_warranty,
                "technician_id": (technician or self.technician).id,
                "service_type_id": (service_type or self.service_type).id,
            }
        )
        order.action_validate()
        order.action_repair_start()
        self.assertEqual(order.state, "under_repair")
        return order

    def _worklog_vals(self, order, parts=(), hours=2.0, **extra):
        now = fields.Datetime.now()
        vals = {
            "repair_id": order.id,
            "date_start": now - timedelta(hours=hours),
            "date_end": now,
            "result": "fixed",
            "lot_name_confirmed": order.lot_id.name,
            "signature": SIGNATURE,
            "signed_by": "Reza Ahmadi",
            "latitude": 35.6893,
            "longitude": 51.3891,
            "part_ids": [
                Command.create({"product_id": product.id, "quantity": qty, "location_id": self.van.id})
                for product, qty in parts
            ],
        }
        vals.update(extra)
        return vals

    def _make_worklog(self, order, parts=(), **extra):
        return self.env["aftersales.worklog"].create(self._worklog_vals(order, parts, **extra))


class AftersalesProtectedFieldsCommon(AftersalesFlowsCommon):
    """Base of the tests that a service order's protected fields change only through its action methods
    (``aftersales_service`` and the addons that add protected fields): a manager, and an offered order."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env, login="flows_manager", groups="base.group_user,aftersales_warranty.group_aftersales_manager"
        )

    def _draft_order(self, technician=None):
        """An after-sales order offered to the technician, not started."""
        return self.env["repair.order"].create(
            {
                "product_id": self.device.id,
                "lot_id": self.lot2.id,
                "partner_id": self.customer.id,
                "technician_id": (technician or self.technician).id,
                "service_type_id": self.service_type.id,
            }
        )
