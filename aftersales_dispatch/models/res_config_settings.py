from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_map_tile_url = fields.Char(related="company_id.aftersales_map_tile_url", readonly=False)
    aftersales_map_tile_attribution = fields.Char(related="company_id.aftersales_map_tile_attribution", readonly=False)
