/** @odoo-module **/

import { registry } from "@web/core/registry";

// The agent's daily journey, from My Account: the Batch requests tile, one line per unit (a scanned code
// ends with Enter, which moves on to the failure and then to the next line instead of sending half a
// batch), File the requests; the request page lists the units; back to the list of requests.
// Language-neutral: it runs in English and in Persian. The test puts the codes in sessionStorage.
function codes() {
    return JSON.parse(sessionStorage.getItem("aftersales_tour_codes"));
}

registry.category("web_tour.tours").add("aftersales_agent_journey_tour", {
    steps: () => [
        {
            content: "My Account: the Batch requests tile",
            trigger: ".o_portal_my_home a[href$='/my/aftersales/batch']",
            run: "click",
        },
        {
            content: "the first code field has the focus: scan the first unit (the scanner ends with Enter)",
            trigger: ".o_aftersales_batch_row:nth-child(1) input[name=code]:focus",
            async run(actions) {
                await actions.edit(codes()[0]);
                await actions.press("Enter");
            },
        },
        {
            content: "Enter moved on to the failure, nothing was sent",
            trigger: ".o_aftersales_batch_row:nth-child(1) input[name=failure]:focus",
            async run(actions) {
                await actions.edit(sessionStorage.getItem("aftersales_tour_failure"));
                await actions.press("Enter");
            },
        },
        {
            content: "and then to the next line: scan the second unit",
            trigger: ".o_aftersales_batch_row:nth-child(2) input[name=code]:focus",
            async run(actions) {
                await actions.edit(codes()[1]);
                await actions.press("Enter");
            },
        },
        {
            content: "File the requests",
            trigger: ".o_aftersales_batch_send",
            run: "click",
        },
        {
            content: "the request page lists both units",
            trigger: ".o_aftersales_created",
        },
        {
            trigger: ".o_aftersales_line:nth-child(2), .o_aftersales_line + .o_aftersales_line",
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
