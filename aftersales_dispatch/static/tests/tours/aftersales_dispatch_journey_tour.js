import { registry } from "@web/core/registry";

// The dispatcher's daily journey on an unassigned order: Assign Technician, read why (summary and
// reasons shown up front), assign the technician ranked first. Language-neutral: it runs in English
// and in Persian.
registry.category("web_tour.tours").add("aftersales_dispatch_journey_tour", {
    steps: () => [
        {
            content: "Assign Technician on the unassigned order",
            trigger: ".o_form_view .o_form_statusbar button[name='action_dispatch_suggest'].btn-primary",
            run: "click",
        },
        {
            content: "the wizard says at the top how many can take the order and why the others cannot",
            trigger: ".modal .alert-info [name='summary'] span:not(:empty)",
        },
        {
            content: "every line shows its reason column",
            trigger: ".modal .o_list_renderer th[data-name='reason']",
        },
        {
            content: "the first suggestion shows its score (the lines that cannot take the order show none)",
            trigger: ".modal .o_data_row:first-child td[name='score']:not(:empty)",
        },
        {
            content: "assign the technician ranked first",
            trigger: ".modal .o_data_row:first-child button[name='action_assign']",
            run: "click",
        },
        {
            content: "the dialog closes and the order offers Reassign",
            trigger: "body:not(:has(.modal)) .o_form_view .o_form_statusbar button[name='action_dispatch_suggest']:not(.btn-primary)",
        },
    ],
});
