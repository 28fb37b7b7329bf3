from odoo import Command
from odoo.tests import TransactionCase, new_test_user


class WarrantyCommon(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        cls.company = cls.env.company
        cls.today = cls.env["aftersales.warranty"]._company_today()  # the warranty's day is the company's
        cls.type_18m = cls.env["aftersales.warranty.type"].create(
            {"name": "Test 18 months", "duration": 18, "duration_unit": "month", "grace_days": 7}
        )
        cls.type_registration = cls.env["aftersales.warranty.type"].create(
            {"name": "Test registration", "duration": 1, "duration_unit": "year", "start_trigger": "registration"}
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "Test washing machine",
                "default_code": "TWM-01",
                "is_storable": True,
                "tracking": "serial",
                "is_serviceable": True,
                "warranty_type_id": cls.type_18m.id,
            }
        )
        cls.product_other = cls.env["product.product"].create(
            {
                "name": "Test refrigerator",
                "default_code": "TRF-01",
                "is_storable": True,
                "tracking": "serial",
                "is_serviceable": True,
                "warranty_type_id": cls.type_18m.id,
            }
        )
        cls.product_plain = cls.env["product.product"].create(
            {"name": "Test cable", "default_code": "TCB-01", "is_storable": True}
        )
        cls.customer = cls.env["res.partner"].create({"name": "Test Customer Ahmadi", "ref": "CUST-001"})
        cls.customer_contact = cls.env["res.partner"].create(
            {"name": "Delivery desk", "parent_id": cls.customer.id, "type": "delivery"}
        )
        cls.customer2 = cls.env["res.partner"].create({"name": "Test Customer Miller"})
        cls.user_reception = new_test_user(
            cls.env, login="t_reception", groups="base.group_user,aftersales_warranty.group_aftersales_user"
        )
        cls.user_manager = new_test_user(
            cls.env, login="t_as_manager", groups="base.group_user,aftersales_warranty.group_aftersales_manager"
        )
        cls.user_plain = new_test_user(cls.env, login="t_plain", groups="base.group_user")

    @classmethod
    def _lot(cls, name, product=None):
        return cls.env["stock.lot"].create(
            {"name": name, "product_id": (product or cls.product).id, "company_id": cls.company.id}
        )

    @classmethod
    def _card(cls, name, lot=None, **vals):
        values = {"name": name, "product_id": (lot.product_id if lot else cls.product).id, "company_id": cls.company.id}
        if lot:
            values["lot_id"] = lot.id
        values.update(vals)
        return cls.env["aftersales.warranty"].create(values)

    def _deliver(self, lots, partner=None):
        """Validate an outgoing transfer of ``lots`` (serials of one product) to ``partner``."""
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", self.company.id)], limit=1)
        stock = warehouse.lot_stock_id
        product = lots.product_id
        for lot in lots:
            self.env["stock.quant"]._update_available_quantity(product, stock, 1, lot_id=lot)
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": warehouse.out_type_id.id,
                "partner_id": (partner or self.customer).id,
                "location_id": stock.id,
                "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                "move_ids": [
                    Command.create(
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom_qty": len(lots),
                            "product_uom": product.uom_id.id,
                            "location_id": stock.id,
                            "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        self.assertEqual(set(picking.move_line_ids.lot_id.ids), set(lots.ids))
        picking.move_ids.picked = True
        picking._action_done()
        self.assertEqual(picking.state, "done")
        return picking

    def _return(self, picking):
        wizard = (
            self.env["stock.return.picking"]
            .with_context(active_ids=picking.ids, active_id=picking.id, active_model="stock.picking")
            .create({})
        )
        wizard.product_return_moves.quantity = 1
        action = wizard.action_create_returns()
        return_pick = self.env["stock.picking"].browse(action["res_id"])
        return_pick.move_ids.picked = True
        return_pick._action_done()
        self.assertEqual(return_pick.state, "done")
        return return_pick
