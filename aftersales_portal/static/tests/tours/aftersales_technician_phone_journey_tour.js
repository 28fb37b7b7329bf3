/** @odoo-module **/

import { registry } from "@web/core/registry";
import { journeyShot } from "@aftersales_service/../tests/tours/journey_shot";
import { setPng } from "./aftersales_portal_tour_utils";

// The technician's day on the phone (390x844), from the jobs list to the report sent: open the job,
// Accept and go, Check in, the report (an action, notes, the serial, a part of the van in one tap, a
// photo before and after, the customer's signature, the result), Submit (which checks out too).
// Each step made by ``tap`` is one tap or one field filled by the technician: the README's count.
// Language-neutral: it runs in English and in Persian; the test puts the order and serial in
// sessionStorage.

const tour = () => JSON.parse(sessionStorage.getItem("aftersales_tour_job"));

const TAP = "tap: ";

function tap(step) {
    return { ...step, content: `${TAP}${step.content}` };
}

function drawSignature(canvas) {
    const rect = canvas.getBoundingClientRect();
    const at = (x, y) => ({ clientX: rect.left + x, clientY: rect.top + y, bubbles: true, pointerId: 1 });
    canvas.dispatchEvent(new PointerEvent("pointerdown", at(20, 120)));
    canvas.dispatchEvent(new PointerEvent("pointermove", at(80, 40)));
    canvas.dispatchEvent(new PointerEvent("pointermove", at(140, 130)));
    canvas.dispatchEvent(new PointerEvent("pointermove", at(220, 60)));
    window.dispatchEvent(new PointerEvent("pointerup", at(220, 60)));
}

export const technicianPhoneJourneySteps = () => [
    journeyShot("1_jobs", ".o_aftersales_today .o_aftersales_job_card"),
    tap({
        content: "open today's job",
        trigger: ".o_aftersales_today .o_aftersales_job_card",
        run() {
            [...document.querySelectorAll(".o_aftersales_today .o_aftersales_job_card")]
                .find((card) => card.textContent.includes(tour().order))
                .click();
        },
    }),
    journeyShot("2_offered", ".o_aftersales_step_accept_go"),
    tap({
        content: "Accept and go: accepted and on the way in one tap",
        trigger: ".o_aftersales_step_accept_go",
        run: "click",
    }),
    {
        content: "the customer is told: on the way",
        trigger: ".o_aftersales_on_the_way",
    },
    journeyShot("3_on_the_way", ".o_aftersales_step_check_in"),
    tap({
        content: "arrived: Check in",
        trigger: ".o_aftersales_step_check_in",
        run: "click",
    }),
    tap({
        content: "an action done",
        trigger: ".o_aftersales_worklog_form .form-check-label",
        run: "click",
    }),
    tap({
        content: "notes",
        trigger: "textarea[name=work_description]",
        run() {
            this.anchor.value = tour().notes;
        },
    }),
    tap({
        content: "the device's serial, as read on its plate",
        trigger: "input[name=lot_name_confirmed]",
        run() {
            this.anchor.value = tour().serial;
        },
    }),
    tap({
        content: "a part of the van, one tap",
        trigger: ".o_aftersales_van_part",
        run: "click",
    }),
    journeyShot("4_report_parts", ".o_aftersales_van_parts"),
    tap({
        content: "photo before",
        trigger: "input[name=photo_before]",
        run() {
            setPng(this.anchor, "before.png");
        },
    }),
    tap({
        content: "photo after",
        trigger: "input[name=photo_after]",
        run() {
            setPng(this.anchor, "after.png");
        },
    }),
    tap({
        content: "the customer signs on the screen",
        trigger: ".o_aftersales_signature_pad",
        run() {
            drawSignature(this.anchor);
        },
    }),
    tap({
        content: "the result, one tap",
        trigger: "label[for=result_fixed]",
        run: "click",
    }),
    journeyShot("5_report_signed", ".o_aftersales_results"),
    {
        content: "the work took at least a second (the end must be after the start)",
        trigger: ".o_aftersales_worklog_submit",
        async run() {
            const next = (Math.floor(performance.timeOrigin / 1000) + 1) * 1000;
            while (Date.now() <= next) {
                await new Promise((resolve) => setTimeout(resolve, 50));
            }
        },
    },
    tap({
        content: "Submit: checked out and sent",
        trigger: ".o_aftersales_worklog_submit",
        run: "click",
    }),
    {
        content: "sent",
        trigger: ".o_aftersales_message",
    },
    journeyShot("6_sent", ".o_aftersales_message"),
];

registry.category("web_tour.tours").add("aftersales_technician_phone_journey_tour", {
    steps: () => {
        const steps = technicianPhoneJourneySteps();
        return [
            ...steps,
            {
                content: "the number of taps, for the test to check against the README",
                trigger: "body",
                run() {
                    console.log(`aftersales-taps:${steps.filter((step) => step.content.startsWith(TAP)).length}`);
                },
            },
        ];
    },
});
