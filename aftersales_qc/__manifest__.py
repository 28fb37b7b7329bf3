{
    "name": "After-Sales Quality Control",
    "summary": "QC inspections of technician worklogs, monthly technician scores and their payroll bonus",
    "version": "18.0.1.0.0",
    "category": "Services/After-Sales",
    "author": "After-Sales Suite",
    "website": "https://github.com/aftersales-suite/aftersales",
    "license": "LGPL-3",
    "depends": [
        "aftersales_service",
        "payroll",
    ],
    "external_dependencies": {"python": ["jdatetime", "num2words", "xlsxwriter"]},
    "data": [
        "security/aftersales_qc_groups.xml",
        "security/ir.model.access.csv",
        "views/aftersales_qc_menus.xml",
    ],
    "demo": [],
    "application": False,
    "installable": True,
    "development_status": "Beta",
    "maintainers": [],
}
