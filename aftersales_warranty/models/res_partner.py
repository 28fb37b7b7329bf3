from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    warranty_ids = fields.One2many("aftersales.warranty", "partner_id", "Warranty cards")
    warranty_count = fields.Integer(compute="_compute_warranty_count", string="Warranties")

    def _compute_warranty_count(self):
        self.warranty_count = 0
        if not self.ids or not self.env["aftersales.warranty"].has_access("read"):
            return
        family = self.with_context(active_test=False).search_fetch([("id", "child_of", self.ids)], ["parent_id"])
        groups = self.env["aftersales.warranty"]._read_group(
            [("partner_id", "in", family.ids)], ["partner_id"], ["__count"]
        )
        totals = dict.fromkeys(self.ids, 0)
        for holder, count in groups:
            # add the count to every ancestor of the holder that is in self (parents are in cache)
            while holder:
                if holder.id in totals:
                    totals[holder.id] += count
                holder = holder.parent_id
        for partner in self:
            partner.warranty_count = totals.get(partner.id, 0)

    def action_view_warranties(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("aftersales_warranty.aftersales_warranty_action")
        action["domain"] = [("partner_id", "child_of", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
