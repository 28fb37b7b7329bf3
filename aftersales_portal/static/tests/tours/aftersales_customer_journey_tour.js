/** @odoo-module **/

import { registry } from "@web/core/registry";

// The customer's daily journey on a phone, from My Account: Ask for service, tap one of the own units
// (already chosen when the customer has only one), describe the problem, Review, Send; the request page
// shows its timeline; back to the list, which shows the new request. Language-neutral: it runs in English
// and in Persian. The test puts the unit's serial and the description in sessionStorage.
registry.category("web_tour.tours").add("aftersales_customer_journey_tour", {
    steps: () => [
        {
            content: "My Account: the Ask for service tile",
            trigger: ".o_portal_my_home a[href$='/aftersales/request/new']",
            run: "click",
        },
        {
            content: "the customer's own units are offered first",
            trigger: ".o_aftersales_request_form .o_aftersales_units .o_aftersales_unit",
        },
        {
            content: "tap the unit (already chosen when it is the only one)",
            trigger: ".o_aftersales_unit input[name=unit_code]",
            run() {
                const serial = sessionStorage.getItem("aftersales_tour_serial");
                const unit = [...document.querySelectorAll(".o_aftersales_unit")].find((el) =>
                    el.textContent.includes(serial)
                );
                if (!unit) {
                    throw new Error(`the unit ${serial} is not offered`);
                }
                const radio = unit.querySelector("input[name=unit_code]");
                if (!radio.checked) {
                    radio.click();
                }
            },
        },
        {
            content: "product and serial are no longer asked",
            trigger: ".o_aftersales_other_unit.d-none:not(:visible)",
        },
        {
            content: "describe the problem",
            trigger: "textarea[name=description]",
            async run(actions) {
                await actions.edit(sessionStorage.getItem("aftersales_tour_description"));
            },
        },
        {
            content: "Review",
            trigger: ".o_aftersales_review_btn",
            run: "click",
        },
        {
            content: "the review names the unit",
            trigger: ".o_aftersales_step_review:not(.d-none) .o_aftersales_review_list dd",
            run() {
                const serial = sessionStorage.getItem("aftersales_tour_serial");
                const review = document.querySelector(".o_aftersales_review_list").textContent;
                if (!review.includes(serial)) {
                    throw new Error(`the review does not name the unit ${serial}: ${review}`);
                }
            },
        },
        {
            content: "Send",
            trigger: ".o_aftersales_send_btn",
            run: "click",
        },
        {
            content: "the request page confirms it and shows its timeline",
            trigger: ".o_aftersales_created",
        },
        {
            trigger: ".o_aftersales_line .o_aftersales_timeline li",
        },
        {
            content: "back to the list of requests",
            trigger: ".o_portal_submenu a[href$='/my/aftersales/requests']",
            run: "click",
        },
        {
            content: "the list shows the new request",
            trigger: ".o_aftersales_request_row a",
        },
    ],
});
