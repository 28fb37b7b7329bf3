/** @odoo-module **/

import { registry } from "@web/core/registry";

function drawSignature(canvas) {
    const rect = canvas.getBoundingClientRect();
    const at = (x, y) => ({
        clientX: rect.left + x,
        clientY: rect.top + y,
        bubbles: true,
        pointerId: 1,
    });
    canvas.dispatchEvent(new PointerEvent("pointerdown", at(10, 10)));
    canvas.dispatchEvent(new PointerEvent("pointermove", at(60, 40)));
    canvas.dispatchEvent(new PointerEvent("pointermove", at(120, 20)));
    window.dispatchEvent(new PointerEvent("pointerup", at(120, 20)));
}

registry.category("web_tour.tours").add("aftersales_portal_job_tour", {
    url: "/my/aftersales/jobs",
    steps: () => [
        {
            content: "Open today's job",
            trigger: ".o_aftersales_job_card:contains(Tour Washing Machine)",
            run: "click",
        },
        {
            content: "Accept it",
            trigger: ".o_aftersales_step_accept",
            run: "click",
        },
        {
            content: "Leave for the customer",
            trigger: ".o_aftersales_step_on_my_way",
            run: "click",
        },
        {
            content: "The customer is told: on the way",
            trigger: ".o_aftersales_on_the_way",
        },
        {
            content: "Arrive",
            trigger: ".o_aftersales_step_check_in",
            run: "click",
        },
        {
            content: "Work a little (times are stamped to the second)",
            trigger: ".o_aftersales_worklog_form",
            async run() {
                await new Promise((resolve) => setTimeout(resolve, 1500));
            },
        },
        {
            content: "Leave the site",
            trigger: ".o_aftersales_step_check_out",
            run: "click",
        },
        {
            content: "The end of the work is stamped",
            trigger: ".o_aftersales_worklog_ended",
        },
        {
            content: "Action done",
            trigger: ".o_aftersales_worklog_form label:contains(Cleaned the drum)",
            run: "click",
        },
        {
            content: "Confirm the device serial",
            trigger: "input[name=lot_name_confirmed]",
            run: "edit WM-PT-0001",
        },
        {
            content: "A part from the van by its code",
            trigger: "textarea[name=part_codes]",
            run: "edit PT-BELT-01",
        },
        {
            content: "The customer signs on the screen",
            trigger: ".o_aftersales_signature_pad",
            run() {
                drawSignature(this.anchor);
            },
        },
        {
            content: "Result",
            trigger: "select[name=result]",
            run: "select fixed",
        },
        {
            content: "Submit for approval",
            trigger: ".o_aftersales_worklog_submit",
            run: "click",
        },
        {
            content: "Sent",
            trigger: ".o_aftersales_message",
        },
    ],
});
