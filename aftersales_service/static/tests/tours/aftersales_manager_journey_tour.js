import { download } from "@web/core/network/download";
import { registry } from "@web/core/registry";

// The manager's check, on a desktop, from the home screen: the After-Sales app, Reporting > KPI Cards
// (one card per service centre), Reporting > Failures by Region, Reporting > Technician Ranking,
// Reporting > SLA Compliance, then its list: select all, Print > Service Orders (Excel). Language-neutral:
// the menus are found by their XML ids, the pages by their titles, which the test puts in sessionStorage
// in the user's language. The Excel file is fetched as the browser would and its type checked.
function names() {
    return JSON.parse(sessionStorage.getItem("aftersales_tour_names") || "{}");
}

function openReport(xmlid, title) {
    return [
        {
            content: `Reporting > ${title}`,
            trigger: ".o_menu_sections [data-menu-xmlid='aftersales_warranty.menu_aftersales_reporting']",
            run: "click",
        },
        {
            trigger: `.dropdown-menu [data-menu-xmlid='${xmlid}']`,
            run: "click",
        },
        {
            content: `${title} is open`,
            trigger: `.o_breadcrumb .active:contains(${title})`,
        },
    ];
}

registry.category("web_tour.tours").add("aftersales_manager_journey_tour", {
    steps: () => [
        {
            content: "the After-Sales app",
            trigger: ".o_app[data-menu-xmlid='aftersales_warranty.menu_aftersales_root']",
            run: "click",
        },
        ...openReport("aftersales_service.aftersales_service_centre_report_kpi_menu", names().kpi),
        {
            content: "one card per service centre, with figures",
            trigger: ".o_aftersales_kpi_kanban:not(:has(.o_view_sample_data)) .o_kanban_record:nth-child(2)",
        },
        ...openReport("aftersales_service.repair_order_report_heatmap_menu", names().heatmap),
        {
            content: "the failures per region drawn from real orders (no sample data)",
            trigger: ".o_action:not(:has(.o_view_sample_data)) .o_graph_renderer canvas",
        },
        ...openReport("aftersales_service.repair_order_report_aftersales_menu_ranking", names().ranking),
        {
            trigger: ".o_action:not(:has(.o_view_sample_data)) .o_graph_renderer canvas",
        },
        ...openReport("aftersales_service.repair_order_report_aftersales_menu_sla", names().sla),
        {
            content: "the SLA compliance per month, from real orders",
            trigger: ".o_action:not(:has(.o_view_sample_data)) .o_pivot table tbody tr:nth-child(2)",
        },
        {
            content: "its list",
            trigger: ".o_control_panel .o_switch_view.o_list",
            run: "click",
        },
        {
            content: "select all the orders",
            trigger: ".o_list_view .o_list_table thead .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Print",
            trigger: ".o_cp_action_menus button:has(.fa-print)",
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
            content: "Service Orders (Excel)",
            trigger: `.o-dropdown-item:contains(${names().excel})`,
            run: "click",
        },
        {
            content: "an Excel workbook came back",
            trigger: "body[data-aftersales-xlsx^='200 application/vnd.openxmlformats-officedocument.spreadsheetml']",
        },
    ],
});
