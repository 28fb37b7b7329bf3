/** @odoo-module **/
/**
 * The day plan's drag and drop goes through the dispatch checks: web_timeline writes the moved item
 * with a plain ``write``; for service orders it calls ``repair.order.action_plan_move`` instead (the
 * technician is a protected field, the engine checks shift, skills, centre, daily limit and locks).
 * A refused move shows the server's reason and the plan is reloaded as it was.
 */
import { patch } from "@web/core/utils/patch";
import { TimelineModel } from "@web_timeline/views/timeline/timeline_model.esm";

patch(TimelineModel.prototype, {
    async write_completed(id, vals) {
        if (this.model_name !== "repair.order") {
            return super.write_completed(...arguments);
        }
        try {
            return await this.orm.call(this.model_name, "action_plan_move", [[id], vals]);
        } catch (error) {
            // a refusal of the server (UserError, AccessError): say why, the plan reloads unchanged
            if (!error?.data?.name?.startsWith("odoo.exceptions.")) {
                throw error;
            }
            this.env.services.notification.add(error.data.message, { type: "danger" });
            return false;
        }
    },
});
