"""Client errors of the API logged as information, not as server errors.

The ``fastapi`` addon lets every exception of a route reach Odoo, which rolls the transaction back
and answers JSON; Odoo logs an exception it does not know (a 401 for a wrong key, a 422 for a
malformed body) as an error with its traceback. These are the client's mistakes: they are marked
with the log level Odoo reads (``loglevel``), and logged on one line. A malformed body is answered
without the values sent (pydantic's ``input``): neither the answer nor the log repeats a password.
"""

import logging

from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException


class ClientErrorLogLevel:
    """ASGI middleware: 4xx exceptions raised by the routes get ``loglevel = INFO``; validation errors
    lose the inputs they quote."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        try:
            await self.app(scope, receive, send)
        except RequestValidationError as error:
            cleaned = RequestValidationError(
                [{key: value for key, value in item.items() if key != "input"} for item in error.errors()]
            )
            cleaned.loglevel = logging.INFO
            raise cleaned from None
        except HTTPException as error:
            if error.status_code < 500:
                error.loglevel = logging.INFO
            raise
