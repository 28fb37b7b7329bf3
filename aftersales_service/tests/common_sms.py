"""Inbound SMS fixtures of the after-sales tests: the generic ones of sms_gateway_ir with the after-sales
roles, plus a customer's warranty card and service request to text about."""

from datetime import timedelta

from odoo import fields

from odoo.addons.sms_gateway_ir.tests.common import setup_inbound_fixtures


def setup_aftersales_sms_fixtures(cls):
    env = cls.env
    setup_inbound_fixtures(
        cls,
        user_groups="base.group_user,aftersales_warranty.group_aftersales_user",
        manager_groups="base.group_user,aftersales_warranty.group_aftersales_manager",
    )
    warranty_type = env["aftersales.warranty.type"].create(
        {"name": "SMS test 18 months", "duration": 18, "duration_unit": "month"}
    )
    cls.product = env["product.product"].create(
        {
            "name": "SMS test washing machine",
            "default_code": "SMS-TWM",
            "is_storable": True,
            "tracking": "serial",
            "is_serviceable": True,
            "warranty_type_id": warranty_type.id,
        }
    )
    cls.lot = env["stock.lot"].create({"name": "SMSSN0001", "product_id": cls.product.id, "company_id": env.company.id})
    cls.card = env["aftersales.warranty"].create(
        {
            "name": "SMS-WC-0001",
            "lot_id": cls.lot.id,
            "product_id": cls.product.id,
            "partner_id": cls.customer.id,
            "company_id": env.company.id,
            "date_start": fields.Date.today() - timedelta(days=30),
            "state": "active",
        }
    )
    service_type = env["aftersales.service.type"].create({"name": "SMS test repair"})
    cls.request = env["aftersales.request"].create(
        {"partner_id": cls.customer.id, "service_type_id": service_type.id, "channel": "sms"}
    )
