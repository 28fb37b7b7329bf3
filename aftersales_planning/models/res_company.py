from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    aftersales_planning_osrm_url = fields.Char(
        string="Routing Server (OSRM) URL",
        help="Base URL of an OSRM-compatible routing server (its /table service gives road travel times and "
        "distances). Empty: straight-line distance times the road factor at the average travel speed.",
    )
    aftersales_planning_road_factor = fields.Float(
        string="Road Factor",
        default=1.3,
        help="Road distance per straight-line kilometre, used when no routing server is set or it fails.",
    )
    aftersales_planning_route_start = fields.Selection(
        [("home", "Technician's Home"), ("centre", "Service Centre"), ("last", "Last Known Position")],
        string="Routes Start At",
        default="home",
        help="Where the technicians' planned days start and end (the last known position when the chosen "
        "place is unknown).",
    )
    aftersales_planning_time_limit = fields.Integer(
        string="Planner Time Limit (s)",
        default=60,
        help="Longest time the route solver searches for one centre's day.",
    )
