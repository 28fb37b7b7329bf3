import { registry } from "@web/core/registry";
import { chooseFirstOption } from "@aftersales_service/../tests/tours/journey_shot";

// The reception's daily journey, scanning first: on a new request, scan the code of a warranty card (the
// test puts it in sessionStorage) and the card fills the customer and the unit; choose the service type;
// Receive; the receipt can be printed. Language-neutral: it runs in English and in Persian.
registry.category("web_tour.tours").add("aftersales_reception_journey_tour", {
    steps: () => [
        {
            content: "scan the warranty card's code, no customer chosen",
            trigger: ".o_form_view .o_field_widget[name='scan_code'] input",
            async run(actions) {
                await actions.edit(sessionStorage.getItem("aftersales_tour_code"));
                await actions.press("Enter");
            },
        },
        {
            content: "the card filled the customer and the unit (the test checks which)",
            trigger: ".o_form_view .o_field_widget[name='line_ids'] .o_data_row",
        },
        {
            content: "choose the service type",
            trigger: ".o_form_view .o_field_widget[name='service_type_id'] input",
            run: "click",
        },
        chooseFirstOption("the first one offered", "service_type_id"),
        {
            content: "Receive",
            trigger: ".o_form_view .o_form_statusbar button[name='action_receive']",
            run: "click",
        },
        {
            content: "received: the receipt can be printed",
            trigger: ".o_form_view .o_form_statusbar button[name='action_print_receipt']",
        },
    ],
});
