{
    "name": "Iran - Accounting",
    "summary": "Iranian chart of accounts (IRR), VAT at the rate in force, national ID / economic code / "
    "postal code on partners, invoices with Jalali dates and the total in Persian words and tomans",
    "version": "18.0.1.0.0",
    "category": "Accounting/Localizations/Account Charts",
    "countries": ["ir"],
    "author": "After-Sales Suite",
    "website": "https://github.com/aftersales-suite/aftersales",
    "license": "LGPL-3",
    "depends": ["account"],
    "auto_install": ["account"],
    "external_dependencies": {"python": ["jdatetime", "num2words"]},
    "data": [
        "data/res.country.state.csv",
        "views/res_partner_views.xml",
        "views/res_company_views.xml",
        "views/report_invoice_templates.xml",
    ],
    "application": False,
    "installable": True,
    "development_status": "Beta",
    "maintainers": [],
}
