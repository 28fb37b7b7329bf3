import { rpc } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";

function callKw(model, method, args, kwargs = {}) {
    return rpc(`/web/dataset/call_kw/${model}/${method}`, { model, method, args, kwargs });
}

async function find(model, name) {
    const [record] = await callKw(model, "search_read", [[["name", "=", name]], ["id"]]);
    if (!record) {
        throw new Error(`${model} ${name} not found`);
    }
    return record.id;
}

// The day plan's drop as web_timeline sends it (TimelineModel.write_completed with the moved fields):
// for service orders it goes to action_plan_move; a move onto a technician off shift is refused with
// the server's reason in a notification, a move within the shift goes through (checked in Python).
registry.category("web_tour.tours").add("aftersales_day_plan_tour", {
    steps: () => [
        {
            content: "the day plan shows the planned order",
            trigger: ".o_timeline_view .vis-item .o_aftersales_day_plan_item",
        },
        {
            content: "the line of the unassigned orders reads in the user's language (not web_timeline's UNASSIGNED)",
            trigger: ".o_timeline_view .vis-label .vis-inner > b",
            run() {
                const label = this.anchor.textContent.trim();
                if (label === "UNASSIGNED") {
                    throw new Error(`the unassigned line reads ${label}`);
                }
            },
        },
        {
            content: "drop the order on a technician who is off shift",
            trigger: ".o_timeline_view",
            run: async () => {
                const { TimelineModel } = odoo.loader.modules.get(
                    "@web_timeline/views/timeline/timeline_model.esm"
                );
                const env = odoo.__WOWL_DEBUG__.root.env;
                const model = Object.assign(Object.create(TimelineModel.prototype), {
                    env,
                    orm: env.services.orm,
                    model_name: "repair.order",
                });
                const orderId = await find("repair.order", "TOUR-PLAN");
                const offShift = await find("hr.employee", "Tour Night Technician");
                const inAnHour = luxon.DateTime.utc().plus({ hours: 1 }).toFormat("yyyy-MM-dd HH:mm:ss");
                const result = await model.write_completed(orderId, {
                    technician_id: offShift,
                    schedule_date: inAnHour,
                    aftersales_planned_hours: 1,
                });
                if (result !== false) {
                    throw new Error("the refused move was not reported as refused");
                }
                const dayTech = await find("hr.employee", "Tour Day Technician");
                const moved = await model.write_completed(orderId, {
                    technician_id: dayTech,
                    schedule_date: inAnHour,
                });
                if (moved !== true) {
                    throw new Error("the move within the shift failed");
                }
            },
        },
        {
            content: "the refusal says why",
            trigger: ".o_notification:contains(Tour Night Technician):contains(outside their working hours)",
        },
    ],
});
