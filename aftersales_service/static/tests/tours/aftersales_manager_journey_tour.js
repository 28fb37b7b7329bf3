import { download } from "@web/core/network/download";
import { registry } from "@web/core/registry";

// The manager's check, on a desktop, from the apps menu: the After-Sales app, Reporting > Dashboard (one
// KPI card per service centre), then from the dashboard's buttons Failures by Region, Technician Ranking
// and SLA Compliance (back to the dashboard after each), and the Excel file of the service orders.
// Language-neutral: the menus are found by their XML ids, the buttons by their classes, the pages by
// their titles, which the test puts in sessionStorage in the user's language. The Excel file is fetched
// as the browser would and its type checked.
function names() {
    return JSON.parse(sessionStorage.getItem("aftersales_tour_names") || "{}");
}

const DASHBOARD = ".o_aftersales_kpi_kanban:not(:has(.o_view_sample_data))";

function openFromDashboard(button, title, ready) {
    return [
        {
            content: `the dashboard's ${title} button`,
            trigger: `.o_control_panel button.${button}`,
            run: "click",
        },
        {
            content: `${title} is open, drawn from real orders (no sample data)`,
            trigger: `.o_breadcrumb .active:contains(${title})`,
        },
        {
            trigger: `.o_action:not(:has(.o_view_sample_data)) ${ready}`,
        },
        {
            content: "back to the dashboard",
            trigger: ".o_breadcrumb .breadcrumb-item.o_back_button a, .o_breadcrumb .breadcrumb-item.o_back_button",
            run: "click",
        },
        {
            trigger: `${DASHBOARD} .o_kanban_record`,
        },
    ];
}

registry.category("web_tour.tours").add("aftersales_manager_journey_tour", {
    steps: () => [
        {
            content: "the apps menu",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            content: "the After-Sales app",
            trigger: ".o_app[data-menu-xmlid='aftersales_warranty.menu_aftersales_root']",
            run: "click",
        },
        {
            content: "Reporting",
            trigger: ".o_menu_sections [data-menu-xmlid='aftersales_warranty.menu_aftersales_reporting']",
            run: "click",
        },
        {
            content: "Dashboard",
            trigger: ".dropdown-menu [data-menu-xmlid='aftersales_service.aftersales_service_centre_report_kpi_menu']",
            run: "click",
        },
        {
            content: "one card per service centre, with figures",
            trigger: `.o_breadcrumb .active:contains(${names().kpi})`,
        },
        {
            trigger: `${DASHBOARD} .o_kanban_record`,
        },
        ...openFromDashboard("o_aftersales_kpi_heatmap", names().heatmap, ".o_graph_renderer canvas"),
        ...openFromDashboard("o_aftersales_kpi_ranking", names().ranking, ".o_graph_renderer canvas"),
        ...openFromDashboard("o_aftersales_kpi_sla", names().sla, ".o_pivot table tbody tr:nth-child(2)"),
        {
            content: "the Excel file of the service orders",
            trigger: ".o_control_panel button.o_aftersales_kpi_xlsx",
            run() {
                // the file is fetched as the browser would and checked instead of being saved
                download._download = async ({ url, data }) => {
                    const body = new FormData();
                    Object.entries(data).forEach(([key, value]) => body.append(key, value));
                    body.append("token", "dummy-because-api-expects-one");
                    body.append("csrf_token", odoo.csrf_token);
                    const response = await fetch(url, { method: "POST", body });
                    const blob = await response.blob();
                    document.body.dataset.aftersalesXlsx = `${response.status} ${blob.type} ${blob.size}`;
                };
                this.anchor.click();
            },
        },
        {
            content: "an Excel workbook came back",
            trigger: "body[data-aftersales-xlsx^='200 application/vnd.openxmlformats-officedocument.spreadsheetml']",
        },
    ],
});
