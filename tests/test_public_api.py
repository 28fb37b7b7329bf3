"""Contract tests of the public API over XML-RPC, written as an outside integrator would: the standard
library's ``xmlrpc.client`` only, logged in as the demo role users.

The whole service flow runs through the public methods (reception by code -> service order -> ranking
and dispatch -> accept, on my way, check in, worklog with a part, check out, submit -> QC decision ->
close and invoice -> consignment return); the refusals assert the fault and that nothing was written.
"""

import base64
import datetime
import uuid
import xmlrpc.client

import pytest

# a 1x1 PNG: photos, signature and QC check photos
PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
    )
).decode()


def unique(prefix):
    return f"{prefix}{uuid.uuid4().hex[:8].upper()}"


class Rpc:
    """What an integrator writes: authenticate, then ``execute_kw``."""

    def __init__(self, url, db, login, password):
        self.db, self.password = db, password
        common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common")
        self.uid = common.authenticate(db, login, password, {})
        assert self.uid, f"login refused for {login}"
        self.models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object")

    def __call__(self, model, method, *args, **kwargs):
        return self.models.execute_kw(self.db, self.uid, self.password, model, method, list(args), kwargs)


@pytest.fixture(scope="module")
def users(base_url, db_name):
    return {
        login: Rpc(base_url, db_name, login, login)
        for login in ("admin", "reception", "dispatcher", "technician", "qc")
    }


@pytest.fixture(scope="module")
def world(users):
    """Out-of-warranty units (expired cards), a service type without skills, a part in stock, QC sampling
    every worklog and no daily limit for the demo technician (both restored afterwards)."""
    admin = users["admin"]
    company = admin("res.users", "read", [admin.uid], ["company_id"])[0]["company_id"][0]
    qc_settings = ["aftersales_qc_enabled", "aftersales_qc_sample_rate"]
    saved = admin("res.company", "read", [company], qc_settings)[0]
    technician = admin(
        "hr.employee", "search_read", [("user_id.login", "=", "technician")], ["service_centre_id", "max_jobs_per_day"]
    )[0]
    centre = technician["service_centre_id"][0]
    warehouse = admin("aftersales.service.centre", "read", [centre], ["warehouse_id"])[0]["warehouse_id"][0]
    stock = admin("stock.warehouse", "read", [warehouse], ["lot_stock_id"])[0]["lot_stock_id"][0]
    wtype = admin(
        "aftersales.warranty.type",
        "create",
        {"name": unique("API 12 months "), "duration": 12, "duration_unit": "month", "start_trigger": "manual"},
    )
    product = admin(
        "product.product",
        "create",
        {
            "name": unique("API Washer "),
            "is_storable": True,
            "tracking": "serial",
            "is_serviceable": True,
            "warranty_type_id": wtype,
        },
    )
    product_tmpl = admin("product.product", "read", [product], ["product_tmpl_id"])[0]["product_tmpl_id"][0]
    partner = admin(
        "res.partner",
        "create",
        {
            "name": unique("API Customer "),
            "mobile": "09121110000",
            "partner_latitude": 35.70,
            "partner_longitude": 51.40,
        },
    )
    labour = admin("product.product", "create", {"name": unique("API Labour "), "type": "service", "list_price": 100})
    service_type = admin(
        "aftersales.service.type",
        "create",
        {"name": unique("API Repair "), "order_creation": "on_receipt", "labour_product_id": labour},
    )
    part_code = unique("PART")
    part = admin(
        "product.product",
        "create",
        {
            "name": unique("API Pump "),
            "is_storable": True,
            "default_code": part_code,
            "barcode": part_code,
            "aftersales_compatible_product_ids": [(6, 0, [product_tmpl])],
            "list_price": 40,
        },
    )
    # ten parts received in the centre's stock (a validated receipt: the native calls that return data)
    receipt_type = admin("stock.warehouse", "read", [warehouse], ["in_type_id"])[0]["in_type_id"][0]
    supplier = admin("stock.location", "search", [("usage", "=", "supplier")], limit=1)[0]
    receipt = admin(
        "stock.picking",
        "create",
        {
            "picking_type_id": receipt_type,
            "location_id": supplier,
            "location_dest_id": stock,
            "move_ids": [
                (
                    0,
                    0,
                    {
                        "name": "API parts",
                        "product_id": part,
                        "product_uom_qty": 10,
                        "location_id": supplier,
                        "location_dest_id": stock,
                    },
                )
            ],
        },
    )
    admin("stock.picking", "action_confirm", [receipt])
    moves = admin("stock.picking", "read", [receipt], ["move_ids"])[0]["move_ids"]
    admin("stock.move", "write", moves, {"quantity": 10, "picked": True})
    admin("stock.picking", "button_validate", [receipt])

    def unit():
        serial = unique("SN")
        lot = admin("stock.lot", "create", {"name": serial, "product_id": product})
        card = unique("WC")
        start = (datetime.date.today() - datetime.timedelta(days=800)).isoformat()
        card_id = admin(
            "aftersales.warranty",
            "create",
            {
                "name": card,
                "lot_id": lot,
                "product_id": product,
                "partner_id": partner,
                "warranty_type_id": wtype,
            },
        )
        admin("aftersales.warranty", "action_activate", [card_id])
        # the card ran out long ago: the unit is out of warranty, its parts are invoiced
        admin("aftersales.warranty", "write", [card_id], {"date_start": start})
        return {"serial": serial, "card": card, "lot": lot}

    # changed last and restored whatever happens: QC samples every worklog, no daily limit for the demo
    # technician (the tests give them several jobs; reruns add more)
    admin("res.company", "write", [company], {"aftersales_qc_enabled": True, "aftersales_qc_sample_rate": 100})
    admin("hr.employee", "write", [technician["id"]], {"max_jobs_per_day": 0})
    try:
        yield {
            "company": company,
            "technician": technician["id"],
            "centre": centre,
            "partner": partner,
            "service_type": service_type,
            "part": part,
            "part_code": part_code,
            "stock": stock,
            "unit": unit,
        }
    finally:
        admin("res.company", "write", [company], {key: saved[key] for key in qc_settings})
        admin("hr.employee", "write", [technician["id"]], {"max_jobs_per_day": technician["max_jobs_per_day"]})


def open_order(users, world):
    """Reception opens a request by code and receives it: one service order."""
    reception = users["reception"]
    unit = world["unit"]()
    opened = reception(
        "aftersales.request",
        "api_create_request",
        world["partner"],
        [unit["card"]],
        {"service_type_id": world["service_type"], "service_centre_id": world["centre"]},
    )
    assert opened["errors"] == [], opened
    received = reception("aftersales.request", "api_receive", [opened["request_id"]])
    assert len(received["repair_ids"]) == 1
    return opened["request_id"], received["repair_ids"][0], unit


def test_lookup_over_xmlrpc(users, world):
    reception = users["reception"]
    unit = world["unit"]()
    result = reception("aftersales.warranty", "lookup", unit["card"])
    assert result["status"] == "found"
    many = reception("aftersales.warranty", "lookup_many", [unit["serial"], "NO-SUCH-CODE-XYZ"])
    assert isinstance(many, dict) and len(many) == 2
    assert any(row["status"] == "not_found" for row in many.values())


def test_request_with_bad_codes_creates_nothing(users, world):
    reception, admin = users["reception"], users["admin"]
    before = admin("aftersales.request", "search_count", [])
    unit = world["unit"]()
    result = reception(
        "aftersales.request",
        "api_create_request",
        world["partner"],
        [unit["card"], "NO-SUCH-CODE-XYZ"],
        {"service_type_id": world["service_type"]},
    )
    assert result["request_id"] is False
    assert [error["line_no"] for error in result["errors"]] == [2]
    assert admin("aftersales.request", "search_count", []) == before
    # the good code alone goes through, then one more scanned code is added (the RPC version of the scan field)
    result = reception(
        "aftersales.request",
        "api_create_request",
        world["partner"],
        [unit["card"]],
        {"service_type_id": world["service_type"]},
    )
    assert result["request_id"] and len(result["line_ids"]) == 1
    second = world["unit"]()
    added = reception("aftersales.request", "add_units", [result["request_id"]], [second["serial"]])
    assert added["errors"] == [] and len(added["line_ids"]) == 1
    refused = reception("aftersales.request", "add_units", [result["request_id"]], [second["serial"]])
    assert refused["line_ids"] == [] and refused["errors"][0]["code"] == second["serial"]
    assert admin("aftersales.request.line", "search_count", [("request_id", "=", result["request_id"])]) == 2


def test_technician_cannot_dispatch(users, world):
    admin, technician, dispatcher = users["admin"], users["technician"], users["dispatcher"]
    _request, order, _unit = open_order(users, world)
    for method in ("api_dispatch", "dispatch_ranking"):
        with pytest.raises(xmlrpc.client.Fault) as fault:
            technician("repair.order", method, [order])
        assert "dispatch" in fault.value.faultString.lower() or "access" in fault.value.faultString.lower()
    status = admin("repair.order", "api_read_status", [order])[0]
    assert status["technician_id"] is False and status["dispatch_state"] == "unassigned"
    # a dispatcher may: the result is data (assigned, or why not)
    result = dispatcher("repair.order", "api_dispatch", [order])
    assert set(result) == {"assigned", "unassigned"}
    assert len(result["assigned"]) + len(result["unassigned"]) == 1


def test_whole_flow(users, world):
    admin, reception, dispatcher, technician, qc = (
        users[k] for k in ("admin", "reception", "dispatcher", "technician", "qc")
    )
    _request, order, unit = open_order(users, world)

    ranking = dispatcher("repair.order", "dispatch_ranking", [order], include_rejected=True)
    assert ranking and {"employee_id", "score", "reason", "breakdown", "eligible", "rank"} <= set(ranking[0])
    assert world["technician"] in [row["employee_id"] for row in ranking]
    status = dispatcher("repair.order", "api_assign", [order], world["technician"])
    assert status["technician_id"] == world["technician"] and status["dispatch_state"] == "offered"

    issued = admin("repair.order", "api_consignment_issue", [order], [{"product_id": world["part"], "quantity": 2}])
    assert issued["state"] == "done"

    # the technician sees this order now, but not the ranking of colleagues (distances, loads)
    with pytest.raises(xmlrpc.client.Fault) as fault:
        technician("repair.order", "dispatch_ranking", [order])
    assert "dispatchers" in fault.value.faultString
    # reception is not the technician: no check-in, nothing written
    with pytest.raises(xmlrpc.client.Fault):
        reception("repair.order", "api_check_in", [order], 35.70, 51.40)
    assert admin("repair.order", "read", [order], ["state"])[0]["state"] == "draft"
    assert admin("aftersales.worklog", "search_count", [("repair_id", "=", order)]) == 0

    status = technician("repair.order", "api_accept", [order])
    assert status["dispatch_state"] == "accepted"
    status = technician("repair.order", "api_on_my_way", [order], 35.72, 51.41)
    assert status["date_on_the_way"] and status["eta_date"]
    checked_in = technician("repair.order", "api_check_in", [order], 35.70, 51.40)
    assert checked_in["order"]["state"] == "under_repair"
    worklog = checked_in["worklog_id"]
    # bad input: a clear error naming the field, nothing written (not even the valid part)
    with pytest.raises(xmlrpc.client.Fault) as fault:
        technician(
            "aftersales.worklog",
            "api_save",
            [worklog],
            {"date_start": "yesterday", "parts": [{"code": world["part_code"]}]},
        )
    assert "date_start" in fault.value.faultString and "Traceback" not in fault.value.faultString
    assert admin("aftersales.worklog.part", "search_count", [("worklog_id", "=", worklog)]) == 0
    saved = technician(
        "aftersales.worklog",
        "api_save",
        [worklog],
        {
            # the time on site as the app recorded it (UTC)
            "date_start": (datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=1)).strftime(
                "%Y-%m-%d %H:%M:%S"
            ),
            "work_description": "Pump replaced",
            "result": "fixed",
            "lot_name_confirmed": unit["serial"],
            "latitude": 35.70,
            "longitude": 51.40,
            "signature": PNG,
            "signed_by": "The customer",
            "parts": [{"code": world["part_code"], "quantity": 1}],
            "photos_before": [{"name": "before.png", "datas": PNG}],
            "photos_after": [{"name": "after.png", "datas": PNG}],
        },
    )
    assert len(saved["part_line_ids"]) == 1 and len(saved["photo_ids"]) == 2
    checked_out = technician("repair.order", "api_check_out", [order], 35.70, 51.40)
    assert checked_out["worklog_id"] == worklog and checked_out["date_end"]
    submitted = technician("aftersales.worklog", "api_submit", [worklog])
    assert submitted["state"] == "submitted", submitted

    inspection = admin("aftersales.qc.inspection", "search_read", [("worklog_id", "=", worklog)], ["line_ids"])[0]
    # reception may not decide QC: refused, nothing written
    with pytest.raises(xmlrpc.client.Fault):
        reception("aftersales.qc.inspection", "api_decide", [inspection["id"]], "approve")
    assert admin("aftersales.qc.inspection", "read", [inspection["id"]], ["state"])[0]["state"] == "to_do"
    assert admin("aftersales.worklog", "read", [worklog], ["state"])[0]["state"] == "submitted"

    lines = admin("aftersales.qc.inspection.line", "read", inspection["line_ids"], ["kind", "min_value", "max_value"])
    checks = []
    for line in lines:
        check = {"line_id": line["id"], "photo": PNG}
        if line["kind"] == "measure":
            check["measured_value"] = (line["min_value"] + line["max_value"]) / 2
        else:
            check["result"] = "pass"
        checks.append(check)
    decided = qc("aftersales.qc.inspection", "api_decide", [inspection["id"]], "approve", checks=checks)
    assert decided["state"] == "approved" and decided["worklog_state"] == "approved"
    assert decided["qc_status"] == "approved"

    closed = admin("repair.order", "api_close", [order])
    assert closed[0]["state"] == "done"
    invoiced = admin("repair.order", "api_invoice_parts", [order])
    assert invoiced["invoice_ids"]
    returned = admin("repair.order", "api_consignment_return", [order])
    assert returned["state"] == "done"
    moves = admin(
        "stock.move", "search_read", [("picking_id", "=", returned["picking_id"])], ["product_id", "quantity"]
    )
    assert [(m["product_id"][0], m["quantity"]) for m in moves] == [(world["part"], 1.0)]

    score = admin(
        "aftersales.technician.score",
        "api_compute_month",
        world["technician"],
        datetime.date.today().year,
        datetime.date.today().month,
    )
    assert score["technician_id"] == world["technician"] and score["state"] in ("draft", "locked")
    with pytest.raises(xmlrpc.client.Fault):
        technician(
            "aftersales.technician.score",
            "api_compute_month",
            world["technician"],
            datetime.date.today().year,
            datetime.date.today().month,
        )


def test_decline_and_scrap(users, world):
    admin, dispatcher, technician = users["admin"], users["dispatcher"], users["technician"]
    _request, order, _unit = open_order(users, world)
    dispatcher("repair.order", "api_assign", [order], world["technician"])
    declined = technician("repair.order", "api_decline", [order], "Too far")
    assert declined == {"order_id": order, "declined": True}
    status = admin("repair.order", "api_read_status", [order])[0]
    assert status["technician_id"] != world["technician"]
    declined_by = admin("repair.order", "read", [order], ["dispatch_declined_technician_ids"])[0]
    assert world["technician"] in declined_by["dispatch_declined_technician_ids"]
    scrapped = admin("repair.order", "api_scrap", [order], world["part"], 1.0)
    assert scrapped["state"] == "done"
