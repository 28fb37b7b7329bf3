{
    "name": "After-Sales Portal",
    "summary": "Website portal for customers, agents and technicians: warranty check, requests, jobs, worklogs",
    "version": "18.0.1.0.0",
    "category": "Services/After-Sales",
    "author": "After-Sales Suite",
    "website": "https://github.com/aftersales-suite/aftersales",
    "license": "LGPL-3",
    "depends": [
        "aftersales_service",
        "aftersales_dispatch",
        "aftersales_qc",
        "website",
        "portal",
    ],
    "data": [
        "security/aftersales_portal_groups.xml",
        "security/ir.model.access.csv",
        "security/aftersales_portal_security.xml",
        "data/aftersales_portal_data.xml",
        "views/aftersales_portal_templates.xml",
        "views/aftersales_request_templates.xml",
        "views/repair_order_templates.xml",
        "views/agent_batch_templates.xml",
        "views/aftersales_portal_menus.xml",
    ],
    "assets": {
        "web.assets_frontend": [
            "aftersales_portal/static/src/js/**/*",
            "aftersales_portal/static/src/scss/**/*",
        ],
        "web.assets_tests": [
            "aftersales_portal/static/tests/tours/**/*",
        ],
    },
    "demo": [
        "demo/aftersales_portal_demo.xml",
        "demo/aftersales_persian_company_demo.xml",
    ],
    "application": False,
    "installable": True,
    "development_status": "Beta",
    "maintainers": [],
}
