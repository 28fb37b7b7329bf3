from odoo import api, fields, models


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    aftersales_scrap_location_id = fields.Many2one(
        "stock.location",
        string="Scrap Parts Location",
        check_company=True,
        copy=False,
        help="Internal location of the warehouse that receives the parts technicians remove from customers' "
        "units as scrap: a valued stock (real-time valuation posts the receipt), written off by a scrap "
        "when the parts are disposed of. Default destination of removed parts on the warehouse's repairs.",
    )

    def _get_locations_values(self, vals, code=False):
        values = super()._get_locations_values(vals, code=code)
        code = (vals.get("code") or code or "").replace(" ", "").upper()
        company_id = vals.get("company_id", self.default_get(["company_id"])["company_id"])
        values["aftersales_scrap_location_id"] = {
            "name": self.env._("Scrap Parts"),
            "active": True,
            "usage": "internal",
            "barcode": self._valid_barcode(code + "SCRAPPARTS", company_id),
        }
        return values

    def _get_picking_type_create_values(self, max_sequence):
        data, next_sequence = super()._get_picking_type_create_values(max_sequence)
        if self.aftersales_scrap_location_id and "repair_type_id" in data:
            data["repair_type_id"]["default_remove_location_dest_id"] = self.aftersales_scrap_location_id.id
        return data, next_sequence

    @api.model
    def _aftersales_create_scrap_locations(self):
        """Give every warehouse its Scrap Parts location and send the removed parts of its repairs there
        (on install, for the warehouses created before; new warehouses get them on creation). A repair
        type whose removed parts already go to an internal location keeps it."""
        warehouses = self.with_context(active_test=False).search([])
        warehouses.filtered(lambda w: not w.aftersales_scrap_location_id)._create_missing_locations({})
        for warehouse in warehouses.filtered(lambda w: w.aftersales_scrap_location_id and w.repair_type_id):
            if warehouse.repair_type_id.default_remove_location_dest_id.usage != "internal":
                warehouse.repair_type_id.default_remove_location_dest_id = warehouse.aftersales_scrap_location_id
