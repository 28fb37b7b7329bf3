import { registry } from "@web/core/registry";
import { chooseFirstOption, journeyShot } from "@aftersales_service/../tests/tours/journey_shot";

// The QC inspector's daily journey from the inspections to do: open the submitted worklog's inspection,
// mark the open checks passed in one click, Approve; or, on another one, reject it with a reason and a
// note for the technician. Each step made by ``click`` is one click or one field filled: the README's
// count. Language-neutral: it runs in English and in Persian; the test puts the inspection's reference
// and the note in sessionStorage.

const CLICK = "click: ";
const job = () => JSON.parse(sessionStorage.getItem("aftersales_tour_qc"));

function click(step) {
    return { ...step, content: `${CLICK}${step.content}` };
}

function withCount(steps) {
    return [
        ...steps,
        {
            content: "the number of clicks, for the test to check against the README",
            trigger: "body",
            run() {
                console.log(`aftersales-taps:${steps.filter((step) => step.content.startsWith(CLICK)).length}`);
            },
        },
    ];
}

// the inspections to do open as cards (kanban), or as rows when the list was chosen
const CARDS = ".o_kanban_record:not(.o_kanban_ghost), .o_list_view .o_data_row";

const openInspection = (prefix) => [
    journeyShot(`${prefix}_1_to_do`, ".o_kanban_record:not(.o_kanban_ghost)", { scroll: false }),
    click({
        content: "open the inspection of the submitted worklog",
        trigger: CARDS,
        run() {
            const card = [...document.querySelectorAll(CARDS)].find((el) =>
                el.textContent.includes(job().inspection)
            );
            (card.querySelector("td.o_data_cell") || card).click();
        },
    }),
    {
        content: "the inspection and its checks",
        trigger: ".o_form_view .o_field_widget[name=line_ids] .o_data_row",
    },
];

registry.category("web_tour.tours").add("aftersales_qc_approve_journey_tour", {
    steps: () =>
        withCount([
            ...openInspection("approve"),
            journeyShot("approve_2_inspection", ".o_form_view .o_form_sheet", { scroll: false }),
            click({
                content: "every open check passed, one click",
                trigger: ".o_form_view button[name=action_pass_open_checks]",
                run: "click",
            }),
            {
                content: "no open check left",
                trigger: ".o_form_view:not(:has(button[name=action_pass_open_checks])) button[name=action_approve]",
            },
            click({
                content: "Approve",
                trigger: ".o_form_view .o_form_statusbar button[name=action_approve]",
                run: "click",
            }),
            {
                content: "approved",
                trigger: ".o_form_view .o_statusbar_status button[data-value=approved].o_arrow_button_current",
            },
            journeyShot("approve_3_approved", ".o_form_view .o_form_sheet", { scroll: false }),
        ]),
});

registry.category("web_tour.tours").add("aftersales_qc_reject_journey_tour", {
    steps: () =>
        withCount([
            ...openInspection("reject"),
            click({
                content: "the Rejection tab",
                trigger: ".o_form_view .o_notebook_headers a[name=rejection]",
                run: "click",
            }),
            click({
                content: "the reason",
                trigger: ".o_form_view .o_field_widget[name=reject_reason_id] input",
                run: "click",
            }),
            click(chooseFirstOption("the first reason offered", "reject_reason_id")),
            click({
                content: "what the technician must redo",
                trigger: ".o_form_view .o_field_widget[name=reject_note] textarea",
                async run(actions) {
                    await actions.edit(job().note);
                },
            }),
            journeyShot("reject_2_reason", ".o_form_view .o_form_sheet", { scroll: false }),
            click({
                content: "Reject",
                trigger: ".o_form_view .o_form_statusbar button[name=action_reject]",
                run: "click",
            }),
            {
                content: "rejected",
                trigger: ".o_form_view .o_statusbar_status button[data-value=rejected].o_arrow_button_current",
            },
            journeyShot("reject_3_rejected", ".o_form_view .o_form_sheet", { scroll: false }),
        ]),
});
