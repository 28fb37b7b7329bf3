"""Fixtures for the client tests: they drive a running Odoo server from outside, as a client would.

``./aftersales test`` starts the server on the test database and sets AFTERSALES_URL and
AFTERSALES_TEST_DB. Run by hand against any server with those two variables set.
"""

import os

import pytest

from .client import OdooClient


@pytest.fixture(scope="session")
def base_url():
    url = os.environ.get("AFTERSALES_URL")
    if not url:
        pytest.skip("AFTERSALES_URL is not set: these tests need a running server")
    return url.rstrip("/")


@pytest.fixture(scope="session")
def db_name():
    return os.environ.get("AFTERSALES_TEST_DB", "aftersales_test")


@pytest.fixture(scope="session")
def admin(base_url, db_name):
    return OdooClient(base_url, db_name, "admin", "admin")
