{
    "name": "SMS Gateways for Iran",
    "summary": "Send Odoo's SMS through Kavenegar, Melipayamak or any HTTP gateway instead of IAP, with Persian "
    "UCS-2 parts and retries; receive SMS through a signed webhook",
    "version": "18.0.1.0.0",
    "category": "Hidden/Tools",
    "author": "After-Sales Suite",
    "website": "https://github.com/aftersales-suite/aftersales",
    "license": "LGPL-3",
    "depends": ["sms"],
    "data": [
        "security/sms_gateway_ir_groups.xml",
        "security/ir.model.access.csv",
        "security/sms_gateway_ir_security.xml",
        "data/ir_cron_data.xml",
        "views/sms_gateway_provider_views.xml",
        "views/sms_inbound_views.xml",
        "views/sms_sms_views.xml",
        "views/sms_gateway_ir_menus.xml",
    ],
    "demo": [
        "demo/sms_gateway_provider_demo.xml",
    ],
    "application": False,
    "installable": True,
    "development_status": "Beta",
    "maintainers": [],
}
