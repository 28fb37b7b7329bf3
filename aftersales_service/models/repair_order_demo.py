"""A few months of closed service orders for the demo, so that every report has something to show."""

import logging
import random
import time
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# provincial capitals (latitude, longitude) by l10n_ir province code: the customers' positions
PROVINCE_CAPITALS = {
    "00": (34.09, 49.69),  # Arak
    "01": (37.28, 49.58),  # Rasht
    "02": (36.56, 53.06),  # Sari
    "03": (38.08, 46.29),  # Tabriz
    "06": (31.32, 48.67),  # Ahvaz
    "07": (29.59, 52.58),  # Shiraz
    "08": (30.28, 57.08),  # Kerman
    "09": (36.30, 59.60),  # Mashhad
    "10": (32.65, 51.67),  # Isfahan
    "13": (34.80, 48.51),  # Hamedan
    "21": (31.90, 54.37),  # Yazd
    "22": (27.18, 56.27),  # Bandar Abbas
    "23": (35.69, 51.39),  # Tehran
    "25": (34.64, 50.88),  # Qom
    "30": (35.84, 50.94),  # Karaj
}


class RepairOrder(models.Model):
    _inherit = "repair.order"

    @api.model
    def _demo_generate_history(self, company_xmlids, orders_per_month=15, months=4, seed=17):
        """Closed service requests and orders of the last ``months`` months for each demo company: the
        companies' customers in their provinces, their technicians and service centres, worklogs (a few
        rejected and redone), customer ratings, SLA met or breached. Deterministic (``seed``), dated
        relative to today, created in batches and dated with SQL (the ORM would date them today), then
        the report facts are refreshed.

        Called from the demo data only (``demo/aftersales_history_demo.xml``), on every update of the
        module: a company that has its history already (its first generated serial) is left alone.
        """
        started = time.monotonic()
        orders = self.browse()
        for xmlid in company_xmlids:
            company = self.env.ref(xmlid, raise_if_not_found=False)
            if company and not self._demo_history_lots(company):
                orders |= self.with_company(company)._demo_history_company(
                    company, orders_per_month * months, months * 30, random.Random(f"{seed}-{xmlid}")
                )
        self._aftersales_refresh_report_facts(orders.ids)
        self.env["repair.order.report.heatmap"]._refresh_past_months()
        _logger.info("Demo history: %s service orders in %.1f s", len(orders), time.monotonic() - started)
        return orders.ids

    @api.model
    def _demo_history_lots(self, company):
        """The serials of the demo history of ``company`` (named ``<product code>-<company id>H<number>``)."""
        return self.env["stock.lot"].search(
            [("company_id", "=", company.id), ("name", "=like", f"%-{company.id:02d}H____")]
        )

    def _demo_history_company(self, company, count, days, rng):
        env = self.env
        cards = env["aftersales.warranty"].search(
            [("company_id", "=", company.id), ("partner_id.commercial_partner_id.state_id", "!=", False)]
        )
        customers = cards.partner_id.commercial_partner_id.sorted("id")
        technicians = env["hr.employee"].search(
            [("company_id", "=", company.id), ("is_technician", "=", True)], order="id"
        )
        products = env["product.product"].search([("is_serviceable", "=", True)], order="id")
        if not (customers and technicians and products):
            return self.browse()
        centres = env["aftersales.service.centre"].search([("company_id", "=", company.id)], order="id")
        policies = env["aftersales.sla.policy"].search([("company_id", "=", company.id)], order="resolution_hours")
        service_types = env["aftersales.service.type"].search([], order="id")
        repair_type = env.ref("aftersales_service.service_type_repair")
        modes = env["aftersales.failure.mode"].search([], order="id")
        causes = env["aftersales.failure.cause"].search([], order="id")
        actions = env["aftersales.worklog.action"].search([], order="id")
        order_types = env["aftersales.order.type"].search([], order="id")
        priorities = env["aftersales.priority"].search([], order="id")
        # each technician has a pace (hours to finish) and a hand (share of rework, share of top ratings)
        profile = {
            tech.id: (rng.uniform(6, 30), rng.uniform(0.03, 0.25), rng.uniform(0.5, 0.95)) for tech in technicians
        }
        now = fields.Datetime.now().replace(minute=0, second=0, microsecond=0)
        plan = []
        for index in range(count):
            customer = rng.choice(customers)
            technician = rng.choice(technicians)
            received = now - timedelta(days=rng.randint(8, days), hours=rng.randint(0, 8))
            received = received.replace(hour=rng.randint(5, 12))  # 8:30 to 15:30 in Tehran
            pace, rework_share, top_share = profile[technician.id]
            policy = rng.choice(policies) if policies else policies
            assigned = received + timedelta(minutes=rng.randint(10, 240))
            accepted = assigned + timedelta(minutes=rng.randint(5, 120))
            work_start = accepted + timedelta(hours=rng.uniform(1, pace))
            work_end = work_start + timedelta(hours=rng.uniform(0.5, 3))
            rework = rng.random() < rework_share
            finished = work_end + (timedelta(days=rng.randint(1, 3)) if rework else timedelta())
            # the allowed time in calendar hours, about (the SLA counts working hours)
            allowed = timedelta(hours=(policy.resolution_hours if policy else 40) * 1.2)
            latitude, longitude = PROVINCE_CAPITALS.get(customer.state_id.code, (0.0, 0.0))
            if latitude:
                latitude += rng.uniform(-0.2, 0.2)
                longitude += rng.uniform(-0.2, 0.2)
            rated = rng.random() < 0.7
            plan.append(
                {
                    "customer": customer,
                    "technician": technician,
                    "centre": technician.service_centre_id or centres[:1],
                    "product": rng.choice(products),
                    "service_type": repair_type if rng.random() < 0.7 else rng.choice(service_types),
                    "mode": rng.choice(modes) if modes else modes,
                    "cause": rng.choice(causes) if causes else causes,
                    "order_type": rng.choice(order_types) if order_types else order_types,
                    "priority": rng.choice(priorities) if priorities else priorities,
                    "policy": policy,
                    "received": received,
                    "assigned": assigned,
                    "accepted": accepted,
                    "work_start": work_start,
                    "work_end": work_end,
                    "finished": finished,
                    "deadline": received + allowed,
                    "rework": rework,
                    "actions": actions.browse(rng.sample(actions.ids, min(len(actions), rng.randint(1, 3)))),
                    "rating": (5 if rng.random() < top_share else rng.choice([3, 1])) if rated else 0,
                    "latitude": latitude,
                    "longitude": longitude,
                    "serial": f"{company.id:02d}H{index + 1:04d}",
                }
            )
        quiet = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True, mail_notrack=True))
        lots = quiet["stock.lot"].create(
            [
                {
                    "name": f"{(item['product'].default_code or 'SN').split('-')[0]}-{item['serial']}",
                    "product_id": item["product"].id,
                    "company_id": company.id,
                }
                for item in plan
            ]
        )
        requests = quiet["aftersales.request"].create(
            [
                {
                    "company_id": company.id,
                    "partner_id": item["customer"].id,
                    "channel": "counter",
                    "service_type_id": item["service_type"].id,
                    "service_centre_id": item["centre"].id,
                    "line_ids": [
                        Command.create(
                            {
                                "code": lot.name,
                                "match": "product_serial",
                                "product_id": item["product"].id,
                                "lot_id": lot.id,
                                "failure_mode_id": item["mode"].id,
                                "partner_latitude": item["latitude"],
                                "partner_longitude": item["longitude"],
                            }
                        )
                    ],
                }
                for item, lot in zip(plan, lots, strict=True)
            ]
        )
        # created as plain repair orders without request nor technician, then made after-sales orders in
        # SQL: the customers and the technicians are not told today of work done months ago
        orders = quiet["repair.order"].create(
            [
                {
                    "company_id": company.id,
                    "partner_id": item["customer"].id,
                    "product_id": item["product"].id,
                    "lot_id": lot.id,
                    "service_centre_id": item["centre"].id,
                    "failure_mode_id": item["mode"].id,
                    "failure_cause_id": item["cause"].id,
                }
                for item, lot, request in zip(plan, lots, requests, strict=True)
            ]
        )
        self._demo_history_date(plan, lots, requests, orders)
        worklog_vals = []
        for item, order in zip(plan, orders, strict=True):
            base = {
                "repair_id": order.id,
                "technician_id": item["technician"].id,
                "action_ids": [Command.set(item["actions"].ids)],
                "result": "fixed",
                "work_description": "Serviced and tested.",
            }
            if item["rework"]:
                worklog_vals.append(dict(base, date_start=item["work_start"], date_end=item["work_end"]))
                redo = item["finished"] - timedelta(hours=1)
                worklog_vals.append(dict(base, date_start=redo, date_end=item["finished"]))
            else:
                worklog_vals.append(dict(base, date_start=item["work_start"], date_end=item["work_end"]))
        worklogs = quiet["aftersales.worklog"].create(worklog_vals)
        rated = [(item, order) for item, order in zip(plan, orders, strict=True) if item["rating"]]
        model_id = env["ir.model"]._get_id("repair.order")
        ratings = quiet["rating.rating"].create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": order.id,
                    "partner_id": item["customer"].id,
                    "rated_partner_id": item["technician"].user_id.partner_id.id,
                    "rating": item["rating"],
                    "consumed": True,
                }
                for item, order in rated
            ]
        )
        self._demo_history_date_worklogs(plan, orders, worklogs, ratings)
        return orders

    def _demo_history_date(self, plan, lots, requests, orders):
        """Date and close the requests and orders just created, in SQL (the workflow would date everything
        today and tell the customers)."""
        self.env.flush_all()
        cr = self.env.cr
        rows = [
            (
                order.id,
                request.id,
                request.line_ids.id,
                lot.id,
                item["received"],
                item["assigned"],
                item["accepted"],
                item["work_start"],
                item["finished"],
                item["deadline"],
                "met" if item["finished"] <= item["deadline"] else "breached",
                item["technician"].id,
                item["policy"].id or None,
                item["service_type"].id,
                item["order_type"].id or None,
                item["priority"].id or None,
            )
            for item, order, request, lot in zip(plan, orders, requests, lots, strict=True)
        ]
        cr.execute(
            SQL(
                """
                CREATE TEMP TABLE aftersales_demo_history (
                    order_id int, request_id int, line_id int, lot_id int, received timestamp,
                    assigned timestamp, accepted timestamp, started timestamp, finished timestamp,
                    deadline timestamp, sla varchar, technician_id int, policy_id int, service_type_id int,
                    order_type_id int, priority_id int
                )
                """
            )
        )
        cr.execute(
            SQL(
                "INSERT INTO aftersales_demo_history VALUES %s",
                SQL(", ").join(SQL("(%s)", SQL(", ").join(SQL("%s", value) for value in row)) for row in rows),
            )
        )
        cr.execute(
            SQL(
                """
                UPDATE aftersales_request r
                   SET state = 'done', date_received = h.received, create_date = h.received, write_date = h.finished
                  FROM aftersales_demo_history h WHERE r.id = h.request_id;
                UPDATE aftersales_request_line l SET create_date = h.received, repair_id = h.order_id
                  FROM aftersales_demo_history h WHERE l.id = h.line_id;
                UPDATE stock_lot s SET create_date = h.received - interval '200 days'
                  FROM aftersales_demo_history h WHERE s.id = h.lot_id;
                UPDATE repair_order o
                   SET is_aftersales = TRUE, aftersales_request_id = h.request_id,
                       aftersales_request_line_id = h.line_id,
                       technician_id = h.technician_id, sla_policy_id = h.policy_id,
                       service_type_id = h.service_type_id, order_type_id = h.order_type_id,
                       service_priority_id = h.priority_id,
                       state = 'done', create_date = h.received, write_date = h.finished,
                       sla_start_date = h.received, schedule_date = h.started,
                       date_assigned = h.assigned, date_accepted = h.accepted, date_started = h.started,
                       date_finished = h.finished, sla_resolution_deadline = h.deadline,
                       sla_response_deadline = h.received + (h.deadline - h.received) / 4, sla_status = h.sla
                  FROM aftersales_demo_history h WHERE o.id = h.order_id;
                DROP TABLE aftersales_demo_history;
                """
            )
        )
        if "dispatch_state" in self._fields:
            cr.execute(SQL("UPDATE repair_order SET dispatch_state = 'accepted' WHERE id = ANY(%s)", orders.ids))
        self.env.invalidate_all()

    def _demo_history_date_worklogs(self, plan, orders, worklogs, ratings):
        """Close and date the worklogs and the ratings in SQL."""
        self.env.flush_all()
        cr = self.env.cr
        # worklogs: the first of a reworked order rejected, the others approved; ratings dated at the end
        first_of_order = {}
        for worklog in worklogs.sorted("id"):
            first_of_order.setdefault(worklog.repair_id.id, worklog.id)
        first_rejected = [first_of_order[order.id] for item, order in zip(plan, orders, strict=True) if item["rework"]]
        cr.execute(
            SQL(
                """
                UPDATE aftersales_worklog w
                   SET state = CASE WHEN w.id = ANY(%(rejected)s) THEN 'rejected' ELSE 'approved' END,
                       create_date = w.date_start, date_submitted = w.date_end, date_approved = w.date_end
                 WHERE w.id = ANY(%(ids)s)
                """,
                rejected=first_rejected,
                ids=worklogs.ids,
            )
        )
        cr.execute(
            SQL(
                """
                UPDATE rating_rating r SET create_date = o.date_finished + interval '1 day',
                                           write_date = o.date_finished + interval '1 day'
                  FROM repair_order o WHERE r.id = ANY(%(ids)s) AND o.id = r.res_id
                """,
                ids=ratings.ids,
            )
        )
        self.env.invalidate_all()
