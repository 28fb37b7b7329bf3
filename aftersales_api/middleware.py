"""Client errors of the API logged as information, not as server errors.

The ``fastapi`` addon lets every exception of a route reach Odoo, which rolls the transaction back
and answers JSON; Odoo logs an exception it does not know (a 401 for a wrong key, a 422 for a
malformed body) as an error with its traceback. These are the client's mistakes: they are marked
with the log level Odoo reads (``loglevel``), and logged on one line.
"""

import logging

from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException


class ClientErrorLogLevel:
    """ASGI middleware: 4xx exceptions raised by the routes get ``loglevel = INFO``."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        try:
            await self.app(scope, receive, send)
        except RequestValidationError as error:
            error.loglevel = logging.INFO
            raise
        except HTTPException as error:
            if error.status_code < 500:
                error.loglevel = logging.INFO
            raise
