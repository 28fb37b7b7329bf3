"""Screenshots of the journey tours' back-office pages, kept when ``AFTERSALES_SCREENSHOTS`` names a folder."""

import base64
import json
import os
import pathlib
from contextlib import contextmanager
from unittest.mock import patch

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


# What a tour step logs to ask for a screenshot (see static/tests/tours/journey_shot.js)
SHOT_SIGNAL = "aftersales-shot:"


@contextmanager
def shots_on_signal(folder, prefix):
    """While in the block, a tour's ``console.log("aftersales-shot:<name>")`` saves the page as
    ``<prefix>_<name>.png`` in ``folder`` (no file without a folder), then answers the tour by setting
    ``document.body.dataset.aftersalesShot`` to ``<name>``: the tour waits for it, so that the picture
    shows the step it was asked at, not a later one.

    Yields a dict of the other figures the tour logs as ``aftersales-<key>:<value>`` (the journey tours
    log ``aftersales-taps:<count>``, the number of taps and fields of the journey)."""

    original = ChromeBrowser._handle_console
    figures = {}

    def answer(browser, name):
        expression = f"document.body.dataset.aftersalesShot = {json.dumps(name)}"
        browser._websocket_send("Runtime.evaluate", params={"expression": expression})

    def handle_console(browser, type, args=None, stackTrace=None, **kw):  # noqa: A002 (Chrome's name)
        first = browser._from_remoteobject(args[0]) if args else None
        if type != "log" or not isinstance(first, str) or not first.startswith(SHOT_SIGNAL):
            if type == "log" and isinstance(first, str) and first.startswith("aftersales-") and ":" in first:
                key, value = first[len("aftersales-") :].split(":", 1)
                figures[key] = value
            return original(browser, type, args=args, stackTrace=stackTrace, **kw)
        name = first[len(SHOT_SIGNAL) :]
        if not folder:
            return answer(browser, name)

        def saved(future):
            # called by the browser's reader once Chrome sent the picture
            try:
                data = future.result(timeout=0)["data"]
                pathlib.Path(folder).mkdir(parents=True, exist_ok=True)
                (pathlib.Path(folder) / f"{prefix}_{name}.png").write_bytes(base64.b64decode(data))
            finally:
                answer(browser, name)

        browser._websocket_send("Page.captureScreenshot", params={"format": "png"}, with_future=True).add_done_callback(
            saved
        )
        return None

    with patch.object(ChromeBrowser, "_handle_console", handle_console):
        yield figures
