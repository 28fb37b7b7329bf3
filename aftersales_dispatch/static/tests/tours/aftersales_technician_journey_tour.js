import { registry } from "@web/core/registry";
import { drawOn, journeyShot, pickPng } from "@aftersales_service/../tests/tours/journey_shot";

// The technician's day in the back office, on the job offered to him: Accept Job, On My Way, Start
// Repair (checked in), Worklogs (the report opens), an action, the result, the serial, notes, a part
// of the van scanned, photos before and after, the customer's signature, Submit (which checks out).
// Each step made by ``click`` is one click or one field filled: the README's count. Language-neutral:
// it runs in English and in Persian; the test puts the serial, the part code and the notes in
// sessionStorage.

const CLICK = "click: ";
const job = () => JSON.parse(sessionStorage.getItem("aftersales_tour_job"));
const NO_SCROLL = { scroll: false };

function click(step) {
    return { ...step, content: `${CLICK}${step.content}` };
}

function photo(field, name) {
    return click({
        content: `a photo: ${name}`,
        trigger: `.o_form_view .o_field_widget[name=${field}] .o_file_input_trigger`,
        run() {
            pickPng(this.anchor.closest(".o_file_input").querySelector("input.o_input_file"), name);
        },
    });
}

const steps = () => [
    journeyShot("1_offered", ".o_form_view .o_form_statusbar button[name=action_dispatch_accept]", NO_SCROLL),
    click({
        content: "Accept Job",
        trigger: ".o_form_view .o_form_statusbar button[name=action_dispatch_accept]",
        run: "click",
    }),
    click({
        content: "On My Way",
        trigger: ".o_form_view .o_form_statusbar button[name=action_on_my_way]",
        run: "click",
    }),
    click({
        content: "arrived: Start Repair",
        trigger:
            ".o_form_view:not(:has(button[name=action_on_my_way])) .o_form_statusbar button[name=action_repair_start]:visible",
        run: "click",
    }),
    {
        content: "started",
        trigger: ".o_form_view .o_statusbar_status button[data-value=under_repair].o_arrow_button_current",
    },
    journeyShot("2_started", ".o_form_view .o_form_sheet", NO_SCROLL),
    click({
        content: "the order's worklog",
        trigger: ".o_form_view button[name=action_view_aftersales_worklogs]",
        run: "click",
    }),
    click({
        content: "an action done",
        trigger: ".o_form_view .o_field_widget[name=action_ids] input[type=checkbox]",
        run: "click",
    }),
    click({
        content: "the result",
        trigger: ".o_form_view .o_field_widget[name=result] input[data-value=fixed]",
        run: "click",
    }),
    click({
        content: "the device's serial",
        trigger: ".o_form_view .o_field_widget[name=lot_name_confirmed] input",
        async run(actions) {
            await actions.edit(job().serial);
        },
    }),
    click({
        content: "what was found and done",
        trigger: ".o_form_view .o_field_widget[name=work_description] textarea",
        async run(actions) {
            await actions.edit(job().notes);
        },
    }),
    click({
        content: "scan the part taken from the van",
        trigger: ".o_form_view .o_field_widget[name=barcode_scan] input",
        async run(actions) {
            await actions.edit(job().part);
            await actions.press("Enter");
        },
    }),
    {
        content: "the part is on the worklog",
        trigger: ".o_form_view .o_field_widget[name=part_ids] .o_data_row",
    },
    journeyShot("3_report", ".o_form_view .o_form_sheet", NO_SCROLL),
    click({
        content: "the Photos tab",
        trigger: ".o_form_view .o_notebook_headers a[name=photos]",
        run: "click",
    }),
    photo("photo_before_ids", "before.png"),
    {
        content: "uploaded",
        trigger: ".o_form_view .o_field_widget[name=photo_before_ids] .o_aftersales_photo",
    },
    photo("photo_after_ids", "after.png"),
    {
        content: "uploaded",
        trigger: ".o_form_view .o_field_widget[name=photo_after_ids] .o_aftersales_photo",
    },
    click({
        content: "the Customer Signature tab",
        trigger: ".o_form_view .o_notebook_headers a[name=signature]",
        run: "click",
    }),
    click({
        content: "the customer signs",
        trigger: ".o_form_view .o_field_widget[name=signature] .o_signature",
        run: "click",
    }),
    click({
        content: "with the finger or the mouse",
        trigger: ".modal canvas.o_web_sign_signature",
        async run() {
            await drawOn(this.anchor);
        },
    }),
    click({
        content: "Adopt & Sign",
        trigger: ".modal .modal-footer .btn-primary:enabled",
        run: "click",
    }),
    {
        content: "signed",
        trigger: "body:not(:has(.modal)) .o_form_view .o_field_widget[name=signature] img.o_signature",
    },
    journeyShot("4_signed", ".o_form_view .o_form_sheet", NO_SCROLL),
    click({
        content: "Submit: checked out and sent",
        trigger: ".o_form_view .o_form_statusbar button[name=action_submit]",
        run: "click",
    }),
    {
        content: "no longer a draft",
        trigger: ".o_form_view:not(:has(.o_form_statusbar button[name=action_submit])) .o_statusbar_status",
    },
    journeyShot("5_submitted", ".o_form_view .o_form_sheet", NO_SCROLL),
];

registry.category("web_tour.tours").add("aftersales_technician_journey_tour", {
    steps: () => {
        const journey = steps();
        return [
            ...journey,
            {
                content: "the number of clicks, for the test to check against the README",
                trigger: "body",
                run() {
                    console.log(`aftersales-taps:${journey.filter((step) => step.content.startsWith(CLICK)).length}`);
                },
            },
        ];
    },
});
