from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user

from odoo.addons.aftersales_service.tests.common import AftersalesServiceCase


class AftersalesQcCommon(AftersalesServiceCase):
    """The service fixtures (customer, serial product, technicians with users, dispatcher) plus QC on
    for every worklog, an inspector, a checklist and a rejection reason."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, mail_notrack=True))
        cls.company.write(
            {
                "aftersales_qc_enabled": True,
                "aftersales_qc_sample_rate": 100,
                "aftersales_qc_new_technician_jobs": 2,
                "aftersales_qc_rejection_days": 30,
                "aftersales_ftf_days": 30,
                "aftersales_worklog_auto_approve": True,
                "aftersales_worklog_signature_required": False,
            }
        )
        cls.inspector = new_test_user(
            cls.env,
            login="qc_test_inspector",
            groups="base.group_user,aftersales_qc.group_aftersales_qc_inspector",
        )
        cls.dispatcher = cls.user_dispatcher
        cls.tech_user_1, cls.tech_1 = cls.user_tech1, cls.tech1
        cls.tech_user_2, cls.tech_2 = cls.user_tech2, cls.tech2
        cls.partner = cls.customer
        Employee = cls.env["hr.employee"]
        cls.clerk = Employee.create({"name": "Nima Jafari"})
        cls.service_type = cls.env["aftersales.service.type"].create(
            {"name": "QC test repair", "standard_duration": 2.0}
        )
        cls.checklist = cls.env["aftersales.qc.checklist"].create(
            {
                "name": "QC test checklist",
                "service_type_id": cls.service_type.id,
                "item_ids": [
                    fields.Command.create({"name": "Fault gone", "kind": "pass_fail", "sequence": 1}),
                    fields.Command.create(
                        {
                            "name": "Supply voltage",
                            "kind": "measure",
                            "min_value": 210.0,
                            "max_value": 240.0,
                            "uom_label": "V",
                            "sequence": 2,
                        }
                    ),
                ],
            }
        )
        cls.reason = cls.env["aftersales.qc.reject.reason"].create({"name": "QC test: fault still present"})
        cls._lot_seq = 0

    # ------------------------------------------------------------ helpers
    @classmethod
    def _lot(cls, name=None):
        cls._lot_seq += 1
        return cls.env["stock.lot"].create(
            {"name": name or f"QCT-{cls._lot_seq:06d}", "product_id": cls.product.id, "company_id": cls.company.id}
        )

    @classmethod
    def _order(cls, technician, lot=None):
        lot = lot or cls._lot()
        return cls.env["repair.order"].create(
            {
                "partner_id": cls.partner.id,
                "product_id": cls.product.id,
                "lot_id": lot.id,
                "service_type_id": cls.service_type.id,
                "technician_id": technician.id,
            }
        )

    @classmethod
    def _worklog(cls, order, hours=2.0, result="fixed"):
        end = fields.Datetime.now()
        return cls.env["aftersales.worklog"].create(
            {
                "repair_id": order.id,
                "date_start": end - timedelta(hours=hours),
                "date_end": end,
                "result": result,
                "lot_name_confirmed": order.lot_id.name,
            }
        )

    @classmethod
    def _submit(cls, order, hours=2.0, result="fixed"):
        worklog = cls._worklog(order, hours=hours, result=result)
        worklog.action_submit()
        return worklog

    @classmethod
    def _fill_passing(cls, inspection, voltage=220.0):
        for line in inspection.line_ids:
            if line.kind == "measure":
                line.measured_value = voltage
            else:
                line.result = "pass"

    @classmethod
    def _approve(cls, inspection):
        cls._fill_passing(inspection)
        inspection.with_user(cls.inspector).action_approve()

    @classmethod
    def _reject(cls, inspection, note="Noise remains"):
        inspection.write({"reject_reason_id": cls.reason.id, "reject_note": note})
        inspection.with_user(cls.inspector).action_reject()

    @classmethod
    def _close(cls, order):
        order.action_repair_start()
        order.action_repair_end()

    @classmethod
    def _make_experienced(cls, technician, count=2):
        """Give the technician approved worklogs without QC (QC off, auto-approval on)."""
        cls.company.aftersales_qc_enabled = False
        orders = cls.env["repair.order"]
        for _i in range(count):
            order = cls._order(technician)
            cls._submit(order)
            orders |= order
        cls.company.aftersales_qc_enabled = True
        return orders
