import { rpc } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";

// Position posted during the tour: no demo technician is there (see tests/test_ops_map.py)
const NEW_LAT = 35.65432;
const NEW_LNG = 51.34567;

function callKw(model, method, args, kwargs = {}) {
    return rpc(`/web/dataset/call_kw/${model}/${method}`, { model, method, args, kwargs });
}

// The dispatcher's operations map: markers as many as the data says, then a position posted on the
// server for a technician's order reaches the open map through the bus and moves the marker.
registry.category("web_tour.tours").add("aftersales_ops_map_tour", {
    steps: () => [
        {
            content: "the map is drawn with technician markers",
            trigger: ".o_ops_map .o_ops_map_canvas .leaflet-marker-icon .o_ops_map_tech",
        },
        {
            content: "as many technician and order markers as the data",
            trigger: ".o_ops_map .o_ops_map_canvas .o_ops_map_order",
            run: async () => {
                const data = await callKw("aftersales.ops.map", "get_map_data", [{}]);
                const technicians = data.technicians.filter((t) => t.latitude || t.longitude).length;
                const shownTechnicians = document.querySelectorAll(".o_ops_map_canvas .o_ops_map_tech").length;
                const shownOrders = document.querySelectorAll(".o_ops_map_canvas .o_ops_map_order").length;
                if (!technicians || shownTechnicians !== technicians) {
                    throw new Error(`${shownTechnicians} technician markers for ${technicians} technicians`);
                }
                if (!data.orders.length || shownOrders !== data.orders.length) {
                    throw new Error(`${shownOrders} order markers for ${data.orders.length} orders`);
                }
                if (document.querySelector(`.o_ops_map_canvas .o_ops_map_tech[data-lat="${NEW_LAT.toFixed(5)}"]`)) {
                    throw new Error("a technician is already at the position the tour posts");
                }
            },
        },
        {
            content: "a technician on the way posts a position (server side)",
            trigger: ".o_ops_map",
            run: async () => {
                const [order] = await callKw("repair.order", "search_read", [
                    [
                        ["is_aftersales", "=", true],
                        ["technician_id", "!=", false],
                        ["state", "in", ["draft", "confirmed"]],
                        ["date_on_the_way", "=", false],
                    ],
                    ["id"],
                ], { limit: 1, order: "id" });
                if (!order) {
                    throw new Error("no assigned order to set on the way");
                }
                await callKw("repair.order", "action_on_my_way", [[order.id]], {
                    latitude: NEW_LAT,
                    longitude: NEW_LNG,
                });
            },
        },
        {
            content: "the bus moved the technician's marker there, now travelling",
            trigger: `.o_ops_map_canvas .o_ops_map_tech.o_ops_map_tech_travelling[data-lat="${NEW_LAT.toFixed(5)}"][data-lng="${NEW_LNG.toFixed(5)}"]`,
            timeout: 20000,
        },
        {
            content: "the side list follows",
            trigger: ".o_ops_map_list .o_ops_map_list_item",
        },
        {
            content: "a click on an order marker opens the order",
            trigger: ".o_ops_map_canvas .o_ops_map_order",
            run: "click",
        },
        {
            content: "the service order's form",
            trigger: ".o_form_view .o_form_sheet .o_field_widget[name='name']",
        },
    ],
});
