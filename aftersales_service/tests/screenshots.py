"""Screenshots of the journey tours' back-office pages, kept when ``AFTERSALES_SCREENSHOTS`` names a folder."""

import base64
import os
import pathlib
from contextlib import contextmanager

from odoo.tests.common import ChromeBrowser

FORM_READY = "!!document.querySelector('.o_form_view .o_form_sheet')"


def screenshot_folder():
    """The folder to keep the screenshots in, or ``None``: no screenshot is taken."""
    return os.environ.get("AFTERSALES_SCREENSHOTS")


def settle(browser, milliseconds=1500):
    """Wait until the widgets drawn after the page is ready are there."""
    browser._wait_ready(f"new Promise((resolve) => setTimeout(() => resolve(true), {milliseconds}))", timeout=10)


PHONE = (390, 844)
DESKTOP = (1280, 900)


@contextmanager
def open_page(case, login, url_path, ready, size=DESKTOP):
    """Chromium signed in as ``login`` (password = login, as the demo users), at ``size`` (a phone, with
    touch, when narrower than 600 px), on ``url_path`` once the JavaScript expression ``ready`` is true."""
    browser = ChromeBrowser(case)
    try:
        case.authenticate(login, login, browser=browser)
        width, height = size
        browser._websocket_request(
            "Emulation.setDeviceMetricsOverride",
            params={"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
        )
        browser.navigate_to(case.base_url() + url_path)
        browser._wait_ready(ready, timeout=60)
        settle(browser)
        yield browser
    finally:
        browser.stop()
        case._wait_remaining_requests()


@contextmanager
def open_form(case, login, url_path):
    """Chromium signed in as ``login``, 1280x900, on the form at ``url_path`` once it is drawn."""
    with open_page(case, login, url_path, FORM_READY) as browser:
        yield browser


def run_js(browser, expression, ready=None):
    """Run ``expression`` in the page (e.g. fill a field, tap a button), then wait until ``ready``."""
    result = browser._websocket_request("Runtime.evaluate", params={"expression": expression, "awaitPromise": True})
    if "exceptionDetails" in (result or {}):
        raise AssertionError(f"{expression}: {result['exceptionDetails']}")
    if ready and not browser._wait_ready(ready, timeout=30):
        raise AssertionError(f"the page did not get to: {ready}")
    settle(browser, 800)


def save_shot(browser, folder, name):
    shot = browser._websocket_request("Page.captureScreenshot", params={"format": "png"}, timeout=30)
    pathlib.Path(folder).mkdir(parents=True, exist_ok=True)
    (pathlib.Path(folder) / f"{name}.png").write_bytes(base64.b64decode(shot["data"]))
