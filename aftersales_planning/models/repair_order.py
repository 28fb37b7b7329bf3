from odoo import api, models

from .aftersales_planner import PLANNABLE_STATES

# priority level from which a new order is urgent (as the priority's help says)
URGENT_LEVEL = 2


class RepairOrder(models.Model):
    """Route planning of service orders: re-plan the day on an urgent order or a decline, and tell the
    customer the planned arrival time."""

    _inherit = "repair.order"

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        # reading the priority level and the centre is harmless; the creator (reception, portal) may not read them
        urgent = orders.sudo().filtered(
            lambda o: o.is_aftersales
            and o.service_centre_id
            and o.state in PLANNABLE_STATES
            and o.service_priority_id.level >= URGENT_LEVEL
        )
        if urgent:
            urgent._aftersales_queue_replan("urgent")
        return orders

    def _dispatch_decline(self, reason):
        res = super()._dispatch_decline(reason)
        self._aftersales_queue_replan("decline")
        return res

    def _aftersales_queue_replan(self, trigger):
        """Re-plan today's route plan of the orders' centres when it was applied (see
        ``aftersales.plan._queue_replan``). Invoked after an urgent order was created or a technician
        declined, both already allowed by their own checks."""
        # internal trigger: the technician declining or the customer creating an order may not read plans
        # nor centres; the re-plan itself runs as the superuser (see ``_queue_replan``)
        plan_model = self.env["aftersales.plan"].sudo()
        for centre in self.sudo().service_centre_id:
            plan_model._queue_replan(centre, plan_model._centre_today(centre), trigger)

    def _aftersales_notify_planned_eta(self):
        """Tell the customers their planned arrival time by email and SMS, through the dispatch
        notifications' own channel (editable templates, queued SMS through the company's gateway)."""
        mail_template = self.env.ref("aftersales_planning.mail_template_repair_planned", raise_if_not_found=False)
        sms_template = self.env.ref("aftersales_planning.sms_template_repair_planned", raise_if_not_found=False)
        # the templates read the technician and the arrival time for the customer; the caller (plan apply)
        # checked the dispatcher's rights
        for order in self.sudo().filtered(lambda o: o.partner_id and o.eta_date and o.is_aftersales):
            partner = order.partner_id
            if mail_template and partner.email:
                order.message_post_with_source(
                    mail_template, subtype_xmlid="aftersales_dispatch.mt_repair_customer_update"
                )
            if sms_template and (partner.mobile or partner.phone):
                order._message_sms_with_template(template=sms_template, partner_ids=partner.ids, put_in_queue=True)
