"""The public website as an anonymous visitor and as signed-in portal users see it."""

import requests

from .client import OdooClient
from .fixtures import make_warranty


def test_public_warranty_check_shows_state_but_no_personal_data(base_url, admin):
    warranty = make_warranty(admin, customer_name="Very Private Person")
    resp = requests.get(f"{base_url}/aftersales/warranty", params={"code": warranty["serial"]}, timeout=60)
    assert resp.status_code == 200
    page = resp.text
    product = admin.execute("product.product", "read", [warranty["product"]], fields=["name"])[0]["name"]
    assert product in page
    assert "Very Private Person" not in page
    assert "09121110000" not in page


def test_another_customers_request_is_not_reachable(base_url, db_name, admin):
    """A portal user guessing the id of a request that is not theirs gets nothing of it."""
    stranger = admin.execute("res.partner", "create", {"name": "Someone Else Entirely"})
    service_type = admin.execute("aftersales.service.type", "search", [], limit=1)[0]
    other = admin.execute(
        "aftersales.request", "create", {"partner_id": stranger, "channel": "phone", "service_type_id": service_type}
    )
    name = admin.execute("aftersales.request", "read", [other], fields=["name"])[0]["name"]
    session = OdooClient(base_url, db_name, "portal", "portal").web_session()
    resp = session.get(f"{base_url}/my/aftersales/requests/{other}", timeout=60, allow_redirects=True)
    assert name not in resp.text
    assert "Someone Else Entirely" not in resp.text
