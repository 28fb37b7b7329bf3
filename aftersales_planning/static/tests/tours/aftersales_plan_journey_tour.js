import { registry } from "@web/core/registry";

// The acceptance journey: Route Plans > New for the Persian company's Tehran centre (Vanak,
// code PRS), Compute, read the totals, Show on Map (the plan's routes under the preview banner), back to
// live routes and to the plan, Apply, Show Day Plan. Language-neutral: it runs in English and in Persian
// (the centre's name is not translated). The test runs the planner's job synchronously and fills the day.
registry.category("web_tour.tours").add("aftersales_plan_journey_tour", {
    steps: () => [
        {
            content: "new route plan",
            trigger: ".o_list_view .o_list_button_add",
            run: "click",
        },
        {
            content: "the Tehran centre",
            trigger: ".o_form_view .o_field_widget[name='service_centre_id'] input",
            run: "edit ونک",
        },
        {
            content: "pick the centre PRS",
            trigger: ".o-autocomplete--dropdown-item a:contains(PRS)",
            run: "click",
        },
        {
            content: "Compute",
            trigger: ".o_form_view .o_form_statusbar button[name='action_compute']",
            run: "click",
        },
        {
            content: "the plan is computed: totals before and after, Apply offered",
            // the planner, the map and the apply run on a shared, loaded machine
            timeout: 60000,
            trigger: ".o_form_view .o_form_statusbar button[name='action_apply']",
        },
        {
            content: "the travel after the plan is shown",
            trigger: ".o_form_view .o_field_widget[name='after_travel_km'] span:not(:empty)",
        },
        {
            content: "Show on Map",
            trigger: ".o_form_view button[name='action_show_on_map']",
            run: "click",
        },
        {
            content: "the map previews the plan",
            timeout: 60000,
            trigger: ".o_ops_map .o_ops_map_plan_banner",
        },
        {
            content: "the plan's orders are on the map",
            trigger: ".o_ops_map_canvas .leaflet-marker-icon .o_ops_map_order",
        },
        {
            content: "the plan's routes are drawn",
            trigger: ".o_ops_map_canvas path.o_ops_map_route_plan",
        },
        {
            content: "back to the live routes",
            trigger: ".o_ops_map .o_ops_map_plan_back",
            run: "click",
        },
        {
            content: "the banner is gone, no planned route drawn",
            trigger: ".o_ops_map:not(:has(.o_ops_map_plan_banner)):not(:has(path.o_ops_map_route_plan))",
        },
        {
            content: "back to the plan",
            trigger: ".o_ops_map .o_ops_map_back_plan",
            run: "click",
        },
        {
            content: "Apply",
            trigger: ".o_form_view .o_form_statusbar button[name='action_apply']",
            run: "click",
        },
        {
            content: "confirm",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "the plan is applied",
            timeout: 60000,
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current[data-value='applied']",
        },
        {
            content: "Show Day Plan",
            trigger: ".o_form_view button[name='action_show_day_plan']",
            run: "click",
        },
        {
            content: "the day plan shows the planned orders",
            timeout: 60000,
            trigger: ".o_timeline_view .vis-item",
        },
    ],
});
