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


def test_large_import_runs_as_a_job_and_completes(admin, warranty):
    """Above 2,000 lines the import is a queue job: the server's job runner (queue_job loaded server-wide by
    odoo.conf) must run it to the end, with its progress published while it runs and every line imported
    once. It used to stay queued for ever (no runner), then to hang on its own progress update."""
    import time  # noqa: PLC0415

    product = admin.execute("aftersales.warranty", "read", [warranty["card"]], ["product_id"])[0]["product_id"][0]
    code = admin.execute("product.product", "read", [product], ["default_code"])[0]["default_code"]
    run = f"J{int(time.time())}"
    lines = 2100
    text = "\n".join(f"{run}-W{i:05d},{run}-S{i:05d},{code}" for i in range(lines))
    wizard = admin.execute("aftersales.warranty.import", "create", {"input_mode": "text", "text": text})
    admin.execute("aftersales.warranty.import", "action_check", [wizard])
    action = admin.execute("aftersales.warranty.import", "action_import", [wizard])
    assert action["res_model"] == "aftersales.warranty.import.batch", action
    batch_id = action["res_id"]
    deadline = time.monotonic() + 300
    batch = {}
    while time.monotonic() < deadline:
        batch = admin.execute("aftersales.warranty.import.batch", "read", [batch_id], ["state", "done_count"])[0]
        if batch["state"] in ("done", "failed"):
            break
        time.sleep(1)
    assert batch["state"] == "done", batch
    assert batch["done_count"] == lines
    cards = admin.execute("aftersales.warranty", "search_count", [("name", "=like", f"{run}-W%")])
    serials = admin.execute("stock.lot", "search_count", [("name", "=like", f"{run}-S%")])
    assert cards == serials == lines
