{
    "name": "PDF Reports with Debian's wkhtmltopdf",
    "summary": "PDF reports that print right with wkhtmltopdf 0.12.6 on an unpatched Qt: header and footer in the "
    "page, installed fonts, mixed-direction (Persian, Arabic) text that neither overlaps nor overflows",
    "version": "18.0.1.0.0",
    "category": "Hidden/Tools",
    "author": "After-Sales Suite",
    "website": "https://github.com/aftersales-suite/aftersales",
    "license": "LGPL-3",
    "depends": ["web"],
    "assets": {
        "web.report_assets_common": [
            "report_wkhtmltopdf_compat/static/src/scss/report_installed_fonts.scss",
        ],
    },
    "application": False,
    "installable": True,
    "development_status": "Beta",
    "maintainers": [],
}
