/** @odoo-module **/

import { registry } from "@web/core/registry";
import { setPng } from "./aftersales_portal_tour_utils";

registry.category("web_tour.tours").add("aftersales_portal_request_tour", {
    url: "/aftersales/request/new",
    steps: () => [
        {
            content: "Not the own unit (chosen already, the only one): another product",
            trigger: ".o_aftersales_unit input.o_aftersales_unit_other",
            run: "click",
        },
        {
            content: "Choose the product",
            trigger: ".o_aftersales_request_form select[name=product_id]",
            run: "selectByLabel Tour Washing Machine",
        },
        {
            content: "Type the serial",
            trigger: "input[name=serial]",
            run: "edit TOUR-SN-0001",
        },
        {
            content: "Describe the failure",
            trigger: "textarea[name=description]",
            run: "edit The drum does not turn",
        },
        {
            content: "Attach a photo",
            trigger: "input[name=photos]",
            run() {
                setPng(this.anchor, "drum.png");
            },
        },
        {
            content: "Go to the review step",
            trigger: ".o_aftersales_review_btn",
            run: "click",
        },
        {
            content: "The review lists the photo and the serial",
            trigger: ".o_aftersales_review_list dd:contains(drum.png)",
        },
        {
            trigger: ".o_aftersales_review_list dd:contains(TOUR-SN-0001)",
        },
        {
            content: "Send",
            trigger: ".o_aftersales_send_btn",
            run: "click",
        },
        {
            content: "The request page confirms it",
            trigger: ".o_aftersales_created",
        },
        {
            trigger: ".o_aftersales_line:contains(Tour Washing Machine)",
        },
    ],
});
