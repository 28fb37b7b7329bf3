/** @odoo-module **/

import { registry } from "@web/core/registry";
import { setPng } from "./aftersales_portal_tour_utils";

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
            trigger: "label[for=result_fixed]",
            run: "click",
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

/**
 * Issue 15: the technician fills in everything on the phone and taps Submit without checking out,
 * with a wrong serial. The page comes back with everything (checked out by Submit); fixing the
 * serial is enough to submit.
 */
registry.category("web_tour.tours").add("aftersales_portal_worklog_error_tour", {
    steps: () => [
        {
            content: "Action done",
            trigger: ".o_aftersales_worklog_form label:contains(Cleaned the drum)",
            run: "click",
        },
        {
            content: "Notes",
            trigger: "textarea[name=work_description]",
            run: "edit Belt was cracked, replaced it",
        },
        {
            content: "A serial with a typo",
            trigger: "input[name=lot_name_confirmed]",
            run: "edit WM-PT-9999",
        },
        {
            content: "A part from the van",
            trigger: "textarea[name=part_codes]",
            run: "edit PT-BELT-01",
        },
        {
            content: "Photo before",
            trigger: "input[name=photo_before]",
            run() {
                setPng(this.anchor, "before.png");
            },
        },
        {
            content: "Photo after",
            trigger: "input[name=photo_after]",
            run() {
                setPng(this.anchor, "after.png");
            },
        },
        {
            content: "The customer signs",
            trigger: ".o_aftersales_signature_pad",
            run() {
                drawSignature(this.anchor);
            },
        },
        {
            content: "Result",
            trigger: "label[for=result_fixed]",
            run: "click",
        },
        {
            content: "Submit says it checks out too",
            trigger: ".o_aftersales_submit_hint:contains(checks you out)",
        },
        {
            content: "Submit without checking out",
            trigger: ".o_aftersales_worklog_submit",
            run: "click",
        },
        {
            content: "The serial is refused",
            trigger: ".o_aftersales_error:contains(does not match)",
        },
        {
            content: "Submit checked out",
            trigger: ".o_aftersales_worklog_ended",
        },
        {
            content: "The serial typed is still there",
            trigger: "input[name=lot_name_confirmed]:value(WM-PT-9999)",
        },
        {
            content: "The notes are still there",
            trigger: "textarea[name=work_description]:value(Belt was cracked, replaced it)",
        },
        {
            content: "The action is still ticked",
            trigger: ".o_aftersales_worklog_form input[name=action_ids]:checked",
        },
        {
            content: "The part was added",
            trigger: ".o_aftersales_parts:contains(Drum Belt)",
        },
        {
            content: "The photos were kept",
            trigger: "label[for=photo_after]:contains(After (1))",
        },
        {
            content: "The signature was kept",
            trigger: ".o_aftersales_signature_saved",
        },
        {
            content: "The result is still chosen",
            trigger: "input[name=result][value=fixed]:checked",
        },
        {
            content: "Correct the serial",
            trigger: "input[name=lot_name_confirmed]",
            run: "edit WM-PT-0001",
        },
        {
            content: "Submit again",
            trigger: ".o_aftersales_worklog_submit",
            run: "click",
        },
        {
            content: "Sent",
            trigger: ".o_aftersales_message",
        },
    ],
});
