"""The job the journey tours work on: a serial-tracked device of the technician's company, its serial, a
customer, a service order for the technician and, for the technician's own journeys, a part that fits the
device in the technician's van. Shared by the technician (back office and phone) and QC journey tests,
which differ only in their texts and in how far the job has gone when their tour starts."""

from odoo import Command, fields


def journey_env(case, user, company):
    """The test's environment in the user's language, on the user's company (records created as they
    would be from that user's screens)."""
    return case.env(context=dict(case.env.context, lang=user.lang, allowed_company_ids=[company.id]))


def van_part(env, device, name, code, van, quantity):
    """A storable part that fits ``device``, with ``quantity`` of it in the technician's ``van``."""
    part = env["product.product"].create(
        {
            "name": name,
            "type": "consu",
            "is_storable": True,
            "default_code": code,
            "company_id": env.company.id,
            "aftersales_compatible_product_ids": [Command.link(device.product_tmpl_id.id)],
        }
    )
    env["stock.quant"]._update_available_quantity(part, van, quantity)
    return part


def journey_order(env, technician, device_name, serial, customer, offered=True, **values):
    """A service order of the technician's company for a new serial-tracked device ``device_name`` with the
    serial ``serial`` (its name: ``{device_id}`` is replaced by the device's id), for ``customer`` (the
    values of a new contact), assigned to ``technician``, as received at the counter. ``offered``: the job
    is offered to the technician, scheduled now. ``values``: more fields of the order."""
    company = env.company
    device = env["product.product"].create(
        {
            "name": device_name,
            "type": "consu",
            "is_storable": True,
            "tracking": "serial",
            "is_serviceable": True,
            "company_id": company.id,
        }
    )
    lot = env["stock.lot"].create(
        {"name": serial.format(device_id=device.id), "product_id": device.id, "company_id": company.id}
    )
    partner = env["res.partner"].create(dict(customer, company_id=company.id))
    if offered:
        values.setdefault("schedule_date", fields.Datetime.now())
    order = (
        env["repair.order"]
        .with_company(company)
        .create(
            {
                "partner_id": partner.id,
                "product_id": device.id,
                "lot_id": lot.id,
                "is_aftersales": True,
                "technician_id": technician.id,
                # received at the counter, not by the test's superuser (OdooBot on the form)
                "user_id": False,
                "company_id": company.id,
                **values,
            }
        )
    )
    if offered:
        order.dispatch_state = "offered"
    return order
