"""Warranty lookup and access as an integrator sees them over JSON-RPC."""

import pytest

from .client import OdooClient, OdooRPCError
from .fixtures import make_warranty

PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


@pytest.fixture(scope="module")
def warranty(admin):
    return make_warranty(admin)


def test_lookup_by_warranty_serial(admin, warranty):
    result = admin.execute("aftersales.warranty", "lookup", warranty["card_name"])
    assert result["status"] == "found"
    assert result["match"] == "warranty_serial"
    assert result["warranty_id"] == warranty["card"]
    assert result["state"] == "active"
    assert result["under_warranty"] is True
    assert result["days_left"] > 300


def test_lookup_by_product_serial_typed_sloppily(admin, warranty):
    """Lower case, spaces around and Persian digits, as typed on a phone keyboard."""
    typed = f"  {warranty['serial'].lower().translate(PERSIAN_DIGITS)} "
    result = admin.execute("aftersales.warranty", "lookup", typed)
    assert result["status"] == "found"
    assert result["lot_id"] == warranty["lot"]
    assert result["warranty_id"] == warranty["card"]


def test_lookup_unknown_code_says_so(admin):
    result = admin.execute("aftersales.warranty", "lookup", "NO-SUCH-SERIAL-000")
    assert result["status"] == "not_found"
    assert result["message"]


def test_reception_reads_cards_but_cannot_configure_types(base_url, db_name, warranty):
    reception = OdooClient(base_url, db_name, "reception", "reception")
    cards = reception.execute("aftersales.warranty", "read", [warranty["card"]], fields=["name", "state"])
    assert cards[0]["state"] == "active"
    with pytest.raises(OdooRPCError) as err:
        reception.execute("aftersales.warranty.type", "create", {"name": "Not allowed", "duration": 1})
    assert "AccessError" in err.value.name
