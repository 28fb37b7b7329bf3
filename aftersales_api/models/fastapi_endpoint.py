from starlette.middleware import Middleware

from odoo import fields, models

from odoo.addons.fastapi.dependencies import company_id

from ..middleware import ClientErrorLogLevel
from ..routers import API_DESCRIPTION, OPENAPI_TAGS, api_router


class FastapiEndpoint(models.Model):
    _inherit = "fastapi.endpoint"

    app = fields.Selection(selection_add=[("aftersales", "After-Sales Mobile API")], ondelete={"aftersales": "cascade"})

    def _get_fastapi_routers(self):
        if self.app == "aftersales":
            return [api_router]
        return super()._get_fastapi_routers()

    def _get_app_dependencies_overrides(self):
        overrides = super()._get_app_dependencies_overrides()
        if self.app == "aftersales":
            # no company forced from the endpoint: each call runs in the companies of the key's user
            overrides[company_id] = lambda: None
        return overrides

    def _get_fastapi_app_middlewares(self):
        middlewares = super()._get_fastapi_app_middlewares()
        if self.app == "aftersales":
            middlewares.append(Middleware(ClientErrorLogLevel))
        return middlewares

    def _prepare_fastapi_app_params(self):
        params = super()._prepare_fastapi_app_params()
        if self.app == "aftersales":
            params.update(
                version="1.0.0",
                description=API_DESCRIPTION,
                openapi_tags=OPENAPI_TAGS,
            )
        return params
