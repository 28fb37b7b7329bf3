/** @odoo-module **/

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("aftersales_portal_batch_tour", {
    url: "/my/aftersales/batch",
    steps: () => [
        {
            content: "First unit: a known serial",
            trigger: ".o_aftersales_batch_row:nth-child(1) input[name=code]",
            run: "edit WM-PT-0003",
        },
        {
            trigger: ".o_aftersales_batch_row:nth-child(1) input[name=failure]",
            run: "edit No water",
        },
        {
            content: "Second unit: a code nobody knows",
            trigger: ".o_aftersales_batch_row:nth-child(2) input[name=code]",
            run: "edit NOPE-999",
        },
        {
            content: "Send",
            trigger: ".o_aftersales_batch_send",
            run: "click",
        },
        {
            content: "The bad line is named, nothing was filed",
            trigger: ".o_aftersales_batch_errors li:contains(NOPE-999)",
        },
        {
            content: "The good line is kept; fix the bad one",
            trigger: ".o_aftersales_batch_row:nth-child(2) input[name=code]",
            run: "edit WM-PT-0004",
        },
        {
            trigger: ".o_aftersales_batch_row:nth-child(1) input[name=code]:value(WM-PT-0003)",
        },
        {
            content: "Send again",
            trigger: ".o_aftersales_batch_send",
            run: "click",
        },
        {
            content: "The request is filed with both units",
            trigger: ".o_aftersales_created",
        },
        {
            trigger: ".o_aftersales_line:contains(WM-PT-0004)",
        },
    ],
});
