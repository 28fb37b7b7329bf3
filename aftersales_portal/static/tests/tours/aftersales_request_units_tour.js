/** @odoo-module **/

import { registry } from "@web/core/registry";

/** The element is on screen (a phone: 390×844) and has the focus. */
function assertInViewAndFocused(el) {
    const rect = el.getBoundingClientRect();
    if (rect.top < 0 || rect.bottom > window.innerHeight) {
        throw new Error(`${el.name} is out of view (${rect.top}–${rect.bottom} of ${window.innerHeight})`);
    }
    if (document.activeElement !== el) {
        throw new Error(`${el.name} does not have the focus`);
    }
}

registry.category("web_tour.tours").add("aftersales_portal_request_units_tour", {
    url: "/aftersales/request/new",
    steps: () => [
        {
            content: "The customer's own unit is offered first",
            trigger: ".o_aftersales_unit:contains(WM-PT-0003)",
        },
        {
            content: "Its only unit without an open request is chosen already: the customer wants another product",
            trigger: ".o_aftersales_unit:contains(WM-PT-0003) input[name=unit_code]:checked",
        },
        {
            trigger: ".o_aftersales_unit input.o_aftersales_unit_other",
            run: "click",
        },
        {
            content: "Tap Review with nothing chosen",
            trigger: ".o_aftersales_review_btn",
            run: "click",
        },
        {
            content: "The mistake is next to the product, in view and focused",
            trigger: "select[name=product_id].is-invalid + .o_aftersales_feedback",
            run() {
                assertInViewAndFocused(document.querySelector("select[name=product_id]"));
            },
        },
        {
            content: "Search a product: the list narrows to the matching serviceable products",
            trigger: ".o_aftersales_product_search",
            run: "edit washing",
        },
        {
            trigger: "select[name=product_id] option:contains(Tour Washing Machine):selected:not(:visible)",
            run() {
                const names = [...document.querySelectorAll("select[name=product_id] option")].slice(1).map((o) => o.text);
                if (!names.length || names.some((name) => !name.toLowerCase().includes("washing"))) {
                    throw new Error(`the list is not narrowed to the search: ${names}`);
                }
            },
        },
        {
            content: "One tap on the customer's own unit",
            trigger: ".o_aftersales_unit:contains(WM-PT-0003) input[name=unit_code]",
            run: "click",
        },
        {
            content: "Product and serial are no longer asked",
            trigger: ".o_aftersales_other_unit.d-none:not(:visible)",
        },
        {
            content: "Tap Review without describing the problem",
            trigger: ".o_aftersales_review_btn",
            run: "click",
        },
        {
            content: "The mistake is next to the description, in view and focused",
            trigger: "textarea[name=description].is-invalid",
            run() {
                assertInViewAndFocused(document.querySelector("textarea[name=description]"));
            },
        },
        {
            trigger: "textarea[name=description]",
            run: "edit It leaks",
        },
        {
            trigger: ".o_aftersales_review_btn",
            run: "click",
        },
        {
            content: "The review names the unit",
            trigger: ".o_aftersales_review_list dd:contains(WM-PT-0003)",
        },
        {
            trigger: ".o_aftersales_send_btn",
            run: "click",
        },
        {
            trigger: ".o_aftersales_created",
        },
        {
            trigger: ".o_aftersales_line:contains(WM-PT-0003)",
        },
    ],
});
