from datetime import timedelta

from odoo import fields

from odoo.addons.aftersales_dispatch.tests.common import DispatchCommon


class PlanningCommon(DispatchCommon):
    """The dispatch fixtures with a day shift, an on-site order type, two technicians and six customers
    placed around the centre, the planning settings at known values."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, queue_job__no_delay=True))
        cls.centre.partner_id = cls.env["res.partner"].create(
            {"name": "Centre", "tz": "UTC", "partner_latitude": 35.70, "partner_longitude": 51.40}
        )
        cls.company.write(
            {
                "aftersales_planning_route_start": "last",
                "aftersales_planning_road_factor": 1.3,
                "aftersales_planning_osrm_url": False,
                "aftersales_planning_time_limit": 5,
            }
        )
        # a day shift with a lunch break, every day: 08-12 and 13-17 UTC
        cls.calendar_day = cls.env["resource.calendar"].create(
            {
                "name": "Day shift",
                "tz": "UTC",
                "attendance_ids": [(5, 0, 0)]
                + [
                    (
                        0,
                        0,
                        {
                            "name": f"AM {d}",
                            "dayofweek": str(d),
                            "hour_from": 8,
                            "hour_to": 12,
                            "day_period": "morning",
                        },
                    )
                    for d in range(7)
                ]
                + [
                    (
                        0,
                        0,
                        {
                            "name": f"PM {d}",
                            "dayofweek": str(d),
                            "hour_from": 13,
                            "hour_to": 17,
                            "day_period": "afternoon",
                        },
                    )
                    for d in range(7)
                ],
            }
        )
        cls.service_type.standard_duration = 1.0
        cls.on_site = cls.env["aftersales.order.type"].create({"name": "On site", "location": "on_site"})
        cls.tomorrow = fields.Date.today() + timedelta(days=1)
        cls.skilled = cls._technician(
            "Reza Skilled", 35.70, 51.40, resource_calendar_id=cls.calendar_day.id, max_jobs=10, login="reza_t"
        )
        cls.unskilled = cls._technician(
            "Sara Unskilled", 35.70, 51.41, skill_level=False, resource_calendar_id=cls.calendar_day.id, max_jobs=10
        )
        cls.customers = cls.env["res.partner"].create(
            [
                {
                    "name": f"Customer {i}",
                    "mobile": f"+98912000{i:04d}",
                    "email": f"customer{i}@example.com",
                    "tz": "UTC",
                    "partner_latitude": 35.70 + 0.01 * (i + 1),
                    "partner_longitude": 51.40 + 0.005 * (i + 1),
                }
                for i in range(6)
            ]
        )

    def _orders(self, count=4, **vals):
        return self.env["repair.order"].concat(
            *(self._order(partner=self.customers[i], order_type_id=self.on_site.id, **vals) for i in range(count))
        )

    def _plan(self, centre=None, day=None):
        return self.env["aftersales.plan"].create(
            {"service_centre_id": (centre or self.centre).id, "date": day or self.tomorrow}
        )
