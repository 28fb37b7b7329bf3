from odoo.addons.aftersales_service.tests.common_dispatch import DispatchCommon as ServiceDispatchCommon


class DispatchCommon(ServiceDispatchCommon):
    """The technicians and orders of aftersales_service's fixtures, with the company's dispatch weights
    set to known values."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "aftersales_dispatch_weight_distance": 4.0,
                "aftersales_dispatch_weight_load": 3.0,
                "aftersales_dispatch_weight_urgency": 2.0,
                "aftersales_dispatch_weight_vip": 2.0,
                "aftersales_dispatch_weight_preferred": 3.0,
                "aftersales_dispatch_distance_scale": 10.0,
                "aftersales_dispatch_accept_timeout": 30,
                "aftersales_dispatch_average_speed": 30.0,
            }
        )
