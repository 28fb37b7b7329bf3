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


@contextmanager
def open_form(case, login, url_path):
    """Chromium signed in as ``login`` (password = login, as the demo users), 1280x900, on the form at
    ``url_path`` once it is drawn."""
    browser = ChromeBrowser(case)
    try:
        case.authenticate(login, login, browser=browser)
        browser._websocket_request(
            "Emulation.setDeviceMetricsOverride",
            params={"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False},
        )
        browser.navigate_to(case.base_url() + url_path)
        browser._wait_ready(FORM_READY, timeout=60)
        settle(browser)
        yield browser
    finally:
        browser.stop()
        case._wait_remaining_requests()


def save_shot(browser, folder, name):
    shot = browser._websocket_request("Page.captureScreenshot", params={"format": "png"}, timeout=30)
    pathlib.Path(folder).mkdir(parents=True, exist_ok=True)
    (pathlib.Path(folder) / f"{name}.png").write_bytes(base64.b64decode(shot["data"]))
