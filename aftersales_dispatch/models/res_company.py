from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    aftersales_dispatch_weight_distance = fields.Float(
        string="Dispatch Weight: Distance",
        default=4.0,
        help="Weight of the travel distance from the technician's last known position to the customer.",
    )
    aftersales_dispatch_weight_load = fields.Float(
        string="Dispatch Weight: Load",
        default=3.0,
        help="Weight of the technician's free capacity (open orders against the daily job limit).",
    )
    aftersales_dispatch_weight_urgency = fields.Float(
        string="Dispatch Weight: SLA Urgency",
        default=2.0,
        help="Weight of the order's urgency (priority level and SLA time used): urgent orders are served first "
        "in batch dispatch and go to the most skilled technicians.",
    )
    aftersales_dispatch_weight_vip = fields.Float(
        string="Dispatch Weight: VIP Customer",
        default=2.0,
        help="Weight of the customer tier: VIP customers are served first and by the most skilled technicians.",
    )
    aftersales_dispatch_weight_preferred = fields.Float(
        string="Dispatch Weight: Preferred Technician",
        default=3.0,
        help="Bonus for the technician the customer prefers.",
    )
    aftersales_dispatch_distance_scale = fields.Float(
        string="Dispatch Distance Scale (km)",
        default=10.0,
        help="Distance at which the distance score falls to one half.",
    )
    aftersales_dispatch_accept_timeout = fields.Integer(
        string="Dispatch Answer Timeout (minutes)",
        default=30,
        help="An order offered to a technician who neither accepts nor declines within this time is offered "
        "to the next best technician by the scheduled action.",
    )
    aftersales_dispatch_average_speed = fields.Float(
        string="Average Travel Speed (km/h)",
        default=30.0,
        help="Used to estimate the technician's arrival time from the distance to the customer.",
    )
    aftersales_map_tile_url = fields.Char(
        string="Map Tile Server",
        default="https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        help="URL template of the map tiles of the operations map ({z}, {x}, {y}, optional {s}), e.g. "
        "OpenStreetMap or an Iranian provider. Without reachable tiles the markers show on a blank background.",
    )
    aftersales_map_tile_attribution = fields.Char(
        string="Map Tile Attribution",
        default="&copy; OpenStreetMap contributors",
        help="Credit line the tile provider requires, shown in the corner of the map.",
    )
