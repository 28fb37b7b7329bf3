import { registry } from "@web/core/registry";

/**
 * A Persian user opens a form whose date is 2025-03-01 (1403/12/11), picks Esfand 30 of the
 * leap year 1403 in the Jalali picker, then Farvardin 13 of 1404 in the next month, and saves:
 * the test checks the stored Gregorian value (2025-04-02).
 */
registry.category("web_tour.tours").add("web_jalali_date_picker", {
    steps: () => [
        {
            content: "The date is shown in the Jalali calendar",
            trigger: ".o_field_widget[name=date_from] input:value(1403/12/11)",
            run: "click",
        },
        {
            content: "The picker shows Esfand 1403, Saturday first",
            trigger: ".o_datetime_picker_header:contains(اسفند 1403)",
        },
        {
            trigger: ".o_day_of_week_cell:eq(1):contains(شنبه)",
        },
        {
            content: "Esfand 1403 has 30 days: pick the 30th",
            trigger: ".o_date_item_cell:not(.o_out_of_range):contains(/^30$/)",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=date_from] input:value(1403/12/30)",
            run: "click",
        },
        {
            content: "Next month: Farvardin 1404",
            trigger: ".o_datetime_picker .o_next",
            run: "click",
        },
        {
            trigger: ".o_datetime_picker_header:contains(فروردین 1404)",
        },
        {
            trigger: ".o_date_item_cell:not(.o_out_of_range):contains(/^13$/)",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=date_from] input:value(1404/01/13)",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_view:not(:has(.o_form_button_save:visible))",
        },
    ],
});
