{
    "name": "After-Sales Route Planning",
    "summary": "Plan the field: assign and sequence a centre's service orders of a day with a route solver",
    "version": "18.0.1.0.0",
    "category": "Services/After-Sales",
    "author": "After-Sales Suite",
    "website": "https://github.com/aftersales-suite/aftersales",
    "license": "LGPL-3",
    "depends": [
        "aftersales_dispatch",
        "queue_job",
    ],
    "external_dependencies": {"python": ["pyvroom"]},
    "assets": {
        "web.assets_tests": [
            "aftersales_planning/static/tests/tours/*.js",
        ],
    },
    "data": [
        "security/ir.model.access.csv",
        "security/aftersales_plan_security.xml",
        "data/queue_job_data.xml",
        "data/ir_cron_data.xml",
        "data/mail_template_data.xml",
        "data/sms_template_data.xml",
        "views/aftersales_plan_views.xml",
        "views/res_company_views.xml",
    ],
    "demo": [
        "demo/aftersales_planning_demo.xml",
    ],
    "application": False,
    "installable": True,
    "development_status": "Beta",
    "maintainers": [],
}
