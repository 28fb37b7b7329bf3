{
    "name": "After-Sales REST API",
    "summary": "REST API for the technician and customer mobile apps (OCA fastapi), with its OpenAPI document",
    "version": "18.0.1.0.0",
    "category": "Services/After-Sales",
    "author": "After-Sales Suite",
    "website": "https://github.com/aftersales-suite/aftersales",
    "license": "LGPL-3",
    "depends": [
        "aftersales_portal",
        "fastapi",
    ],
    "data": [
        "data/fastapi_endpoint_data.xml",
    ],
    "external_dependencies": {
        "python": ["fastapi", "pydantic", "python-multipart"],
    },
    "application": False,
    "installable": True,
    "development_status": "Beta",
    "maintainers": [],
}
