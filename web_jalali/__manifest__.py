{
    "name": "Jalali Calendar in the Web Client",
    "summary": "Jalali (Persian) dates, date filters and date picker in the back office for Persian users",
    "version": "18.0.1.0.0",
    "category": "Hidden/Tools",
    "author": "After-Sales Suite",
    "website": "https://github.com/aftersales-suite/aftersales",
    "license": "LGPL-3",
    "depends": ["web"],
    "external_dependencies": {"python": ["jdatetime"]},
    "data": [
        "views/res_users_views.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "web_jalali/static/src/**/*",
        ],
        "web.assets_unit_tests": [
            "web_jalali/static/tests/**/*",
            ("remove", "web_jalali/static/tests/tours/**/*"),
        ],
        "web.assets_tests": [
            "web_jalali/static/tests/tours/**/*",
        ],
    },
    "application": False,
    "installable": True,
    "development_status": "Beta",
    "maintainers": [],
}
