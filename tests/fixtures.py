"""Data the client tests create through the external API, with names unique to each run."""

import uuid


def unique(prefix):
    return f"{prefix}{uuid.uuid4().hex[:8].upper()}"


def make_warranty(admin, customer_name="Client Test Customer"):
    """A serviceable serial-tracked product, one serial and its active warranty card."""
    wtype = admin.execute(
        "aftersales.warranty.type",
        "create",
        {"name": unique("Client 12 months "), "duration": 12, "duration_unit": "month", "start_trigger": "manual"},
    )
    product = admin.execute(
        "product.product",
        "create",
        {
            "name": unique("Client Washer "),
            "default_code": unique("CW-"),
            "is_storable": True,
            "tracking": "serial",
            "is_serviceable": True,
            "warranty_type_id": wtype,
        },
    )
    serial = unique("SN")
    lot = admin.execute("stock.lot", "create", {"name": serial, "product_id": product})
    partner = admin.execute("res.partner", "create", {"name": customer_name, "mobile": "09121110000"})
    card_name = unique("WC")
    card = admin.execute(
        "aftersales.warranty",
        "create",
        {"name": card_name, "lot_id": lot, "product_id": product, "partner_id": partner, "warranty_type_id": wtype},
    )
    admin.execute("aftersales.warranty", "action_activate", [card])
    return {
        "type": wtype,
        "product": product,
        "lot": lot,
        "serial": serial,
        "partner": partner,
        "card": card,
        "card_name": card_name,
    }
