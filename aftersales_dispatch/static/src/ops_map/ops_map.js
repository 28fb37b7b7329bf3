/** @odoo-module **/
/**
 * Live operations map (client action ``aftersales_ops_map``): technicians at their last known position,
 * open orders coloured by SLA status, today's routes; filters by centre, skill and technician state.
 * With ``plan_id`` in the action's params (a route plan of ``aftersales_planning``), the map previews that
 * plan: its centre, its routes and planned times, under a banner, until the dispatcher goes back to the
 * live routes. All the data comes from ``aftersales.ops.map.get_map_data``; the map reloads it when the server
 * announces a change on the bus (``aftersales_ops_map/update``, sent to the dispatchers' group).
 *
 * Leaflet is bundled in ``static/lib/leaflet`` and loaded on demand, outside the (RTL-converted) asset
 * bundles; the map pane is always left to right. Without reachable tiles the markers show on a blank
 * background.
 */
import { Component, onMounted, onWillStart, onWillUnmount, useRef, useState } from "@odoo/owl";
import { loadCSS, loadJS } from "@web/core/assets";
import { deserializeDate, deserializeDateTime, formatDate, formatDateTime } from "@web/core/l10n/dates";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { useDebounced } from "@web/core/utils/timing";

const LEAFLET = "/aftersales_dispatch/static/lib/leaflet";
export const MAP_BUS_TYPE = "aftersales_ops_map/update";
// default view: Tehran, when nothing has a position
const DEFAULT_CENTRE = [35.7, 51.4];
// one colour per technician's route while a plan is previewed (dark enough on light tiles)
const PLAN_COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"];

export class OpsMap extends Component {
    static template = "aftersales_dispatch.OpsMap";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.busService = this.env.services.bus_service;
        this.mapRef = useRef("map");
        const params = this.props.action?.params || {};
        this.state = useState({
            filters: { centre_id: params.centre_id ? String(params.centre_id) : "", skill_id: "", state: "" },
            // route plan previewed (checked again by the server with the user's rights)
            planId: params.plan_id || false,
            data: { technicians: [], orders: [], routes: [], centres: [], skills: [], states: [] },
            now: luxon.DateTime.now(),
            updates: 0,
        });
        this.focusTechnicianId = params.technician_id || false;
        // opened from a route plan: the toolbar offers the way back to it, preview or not
        this.fromPlanId = params.plan_id || false;
        this.markers = { technicians: new Map(), orders: new Map() };
        this.reloadDebounced = useDebounced(() => this.reload(), 250);
        this.onBusUpdate = () => this.reloadDebounced();

        onWillStart(async () => {
            await Promise.all([loadJS(`${LEAFLET}/leaflet.js`), loadCSS(`${LEAFLET}/leaflet.css`)]);
            await this.fetch();
        });
        onMounted(() => {
            this.setupMap();
            this.draw(true);
            if (this.busService) {
                this.busService.subscribe(MAP_BUS_TYPE, this.onBusUpdate);
                this.busService.start();
            }
            // position ages move on without any change on the server
            this.ageTimer = setInterval(() => (this.state.now = luxon.DateTime.now()), 30000);
        });
        onWillUnmount(() => {
            if (this.busService) {
                this.busService.unsubscribe(MAP_BUS_TYPE, this.onBusUpdate);
            }
            clearInterval(this.ageTimer);
            if (this.map) {
                this.map.remove();
            }
        });
    }

    // ------------------------------------------------------------------ data

    get filterArgs() {
        const { centre_id, skill_id, state } = this.state.filters;
        return {
            centre_id: centre_id ? parseInt(centre_id) : false,
            skill_id: skill_id ? parseInt(skill_id) : false,
            state: state || false,
            plan_id: this.state.planId || false,
        };
    }

    async fetch() {
        const data = await this.orm.call("aftersales.ops.map", "get_map_data", [this.filterArgs]);
        this.state.data = data;
        this.state.now = luxon.DateTime.now();
    }

    async reload() {
        await this.fetch();
        this.state.updates++;
        this.draw(false);
    }

    async onFilterChange(name, ev) {
        this.state.filters[name] = ev.target.value;
        await this.fetch();
        this.draw(true);
    }

    async backToLive() {
        this.state.planId = false;
        await this.fetch();
        this.draw(true);
    }

    async backToPlan() {
        if ((this.env.config?.breadcrumbs || []).length > 1) {
            return this.actionService.restore();
        }
        return this.actionService.doAction({
            type: "ir.actions.act_window",
            res_model: "aftersales.plan",
            res_id: parseInt(this.fromPlanId),
            views: [[false, "form"]],
            target: "current",
        });
    }

    /** The colour of a technician's planned route while a plan is previewed, else ``false``. */
    routeColour(technicianId) {
        const data = this.state.data;
        if (!data.plan) {
            return false;
        }
        const index = data.routes.findIndex((route) => route.technician_id === technicianId);
        return index < 0 ? false : PLAN_COLOURS[index % PLAN_COLOURS.length];
    }

    get planBanner() {
        const plan = this.state.data.plan;
        if (!plan) {
            return "";
        }
        return _t("Previewing plan %(name)s (%(date)s)", {
            name: plan.name,
            date: formatDate(deserializeDate(plan.date)),
        });
    }

    // ------------------------------------------------------------------ drawing

    setupMap() {
        const L = window.L;
        this.map = L.map(this.mapRef.el, { zoomControl: true, attributionControl: true });
        this.map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
        this.map.setView(DEFAULT_CENTRE, 11);
        const tiles = this.state.data.tiles || {};
        if (tiles.url) {
            L.tileLayer(tiles.url, { maxZoom: 19, attribution: tiles.attribution || "" }).addTo(this.map);
        }
        this.layers = {
            routes: L.layerGroup().addTo(this.map),
            orders: L.layerGroup().addTo(this.map),
            technicians: L.layerGroup().addTo(this.map),
        };
    }

    /**
     * Draw the markers and routes; existing markers are moved rather than recreated, so that an open
     * tooltip or a hovered marker stays put on a live update.
     */
    draw(fit) {
        if (!this.map) {
            return;
        }
        const L = window.L;
        const data = this.state.data;
        this.syncMarkers(
            "technicians",
            data.technicians.filter((t) => t.latitude || t.longitude),
            (tech) => this.technicianIcon(tech),
            (tech) => this.technicianTooltip(tech),
            (tech) => this.openTechnician(tech.id)
        );
        this.syncMarkers(
            "orders",
            data.orders,
            (order) => this.orderIcon(order),
            (order) => this.orderTooltip(order),
            (order) => this.openOrder(order.id)
        );
        this.layers.routes.clearLayers();
        const stateOf = Object.fromEntries(data.technicians.map((t) => [t.id, t.state]));
        for (const route of data.routes) {
            const line = L.polyline(route.points, {
                className: data.plan
                    ? "o_ops_map_route o_ops_map_route_plan"
                    : `o_ops_map_route o_ops_map_route_${stateOf[route.technician_id] || "free"}`,
                weight: 3,
                dashArray: "6 6",
            }).addTo(this.layers.routes);
            const colour = this.routeColour(route.technician_id);
            if (colour && line.getElement()) {
                // inline: the stylesheet colours the live routes by the technician's state
                line.getElement().style.stroke = colour;
            }
        }
        const focus = this.focusTechnicianId && this.markers.technicians.get(this.focusTechnicianId);
        if (focus && fit) {
            this.map.setView(focus.getLatLng(), 14);
            focus.openTooltip();
        } else if (fit) {
            const points = [
                ...[...this.markers.technicians.values()].map((m) => m.getLatLng()),
                ...[...this.markers.orders.values()].map((m) => m.getLatLng()),
            ];
            if (points.length) {
                this.map.fitBounds(L.latLngBounds(points), { padding: [40, 40], maxZoom: 14 });
            }
        }
    }

    syncMarkers(kind, records, iconOf, tooltipOf, onClick) {
        const L = window.L;
        const existing = this.markers[kind];
        const seen = new Set();
        for (const record of records) {
            seen.add(record.id);
            const latLng = [record.latitude, record.longitude];
            let marker = existing.get(record.id);
            if (marker) {
                marker.setLatLng(latLng);
                marker.setIcon(iconOf(record));
                marker.setTooltipContent(tooltipOf(record));
            } else {
                marker = L.marker(latLng, { icon: iconOf(record), keyboard: true, riseOnHover: true });
                marker.bindTooltip(tooltipOf(record), { direction: "top", offset: [0, -12] });
                marker.on("click", () => onClick(record));
                marker.addTo(this.layers[kind]);
                existing.set(record.id, marker);
            }
            marker._aftersalesRecord = record;
        }
        for (const [id, marker] of existing) {
            if (!seen.has(id)) {
                marker.remove();
                existing.delete(id);
            }
        }
    }

    markerData(record) {
        // read by the tour and by assistive tools: which record, where
        return `data-id="${record.id}" data-lat="${Number(record.latitude).toFixed(5)}" data-lng="${Number(record.longitude).toFixed(5)}"`;
    }

    technicianIcon(tech) {
        const initials = escapeHtml(
            (tech.name || "?")
                .split(/\s+/)
                .filter(Boolean)
                .slice(0, 2)
                .map((word) => word[0])
                .join("")
        );
        return window.L.divIcon({
            className: "o_ops_map_icon",
            html: `<div class="o_ops_map_tech o_ops_map_tech_${tech.state}" ${this.markerData(tech)}>${initials}</div>`,
            iconSize: [30, 30],
            iconAnchor: [15, 15],
        });
    }

    orderIcon(order) {
        const status = order.sla_status || "none";
        const vip = order.vip ? `<span class="o_ops_map_vip" title="VIP">★</span>` : "";
        return window.L.divIcon({
            className: "o_ops_map_icon",
            html: `<div class="o_ops_map_order o_ops_map_sla_${status}${order.vip ? " o_ops_map_order_vip" : ""}" ${this.markerData(order)}>${vip}</div>`,
            iconSize: [20, 20],
            iconAnchor: [10, 10],
        });
    }

    technicianTooltip(tech) {
        const lines = [
            `<strong>${escapeHtml(tech.name)}</strong>`,
            escapeHtml(this.stateLabel(tech.state)),
            escapeHtml(this.positionAge(tech)),
        ];
        if (tech.centre) {
            lines.push(escapeHtml(tech.centre));
        }
        lines.push(escapeHtml(_t("Open jobs: %s", tech.open_jobs)));
        return `<div dir="auto">${lines.join("<br/>")}</div>`;
    }

    orderTooltip(order) {
        const lines = [`<strong>${escapeHtml(order.name)}</strong>`, escapeHtml(order.customer)];
        if (order.vip) {
            lines.push(escapeHtml(_t("VIP customer")));
        }
        if (order.sla_label) {
            lines.push(escapeHtml(_t("SLA: %s", order.sla_label)));
        }
        lines.push(escapeHtml(order.technician ? _t("Technician: %s", order.technician) : _t("Unassigned")));
        if (order.schedule_date) {
            lines.push(escapeHtml(formatDateTime(deserializeDateTime(order.schedule_date))));
        }
        if (order.planned_start) {
            lines.push(
                `<strong>${escapeHtml(
                    _t("Planned: %(time)s, %(technician)s (visit %(sequence)s)", {
                        time: formatDateTime(deserializeDateTime(order.planned_start)),
                        technician: order.planned_technician,
                        sequence: order.planned_sequence,
                    })
                )}</strong>`
            );
        } else if (this.state.data.plan) {
            lines.push(escapeHtml(_t("Not in the plan")));
        }
        return `<div dir="auto">${lines.join("<br/>")}</div>`;
    }

    stateLabel(state) {
        const found = this.state.data.states.find((s) => s.id === state);
        return found ? found.name : state;
    }

    positionAge(tech) {
        if (!tech.position_date) {
            return _t("No position yet");
        }
        const date = deserializeDateTime(tech.position_date);
        const minutes = Math.max(0, Math.round(this.state.now.diff(date, "minutes").minutes));
        let age;
        if (minutes < 1) {
            age = _t("just now");
        } else if (minutes < 60) {
            age = _t("%s min ago", minutes);
        } else if (minutes < 48 * 60) {
            age = _t("%s h ago", Math.round(minutes / 60));
        } else {
            age = formatDateTime(date);
        }
        return _t("Position: %s", age);
    }

    // ------------------------------------------------------------------ actions

    focusTechnician(tech) {
        const marker = this.markers.technicians.get(tech.id);
        if (marker) {
            this.map.setView(marker.getLatLng(), Math.max(this.map.getZoom(), 14));
            marker.openTooltip();
        }
    }

    openTechnician(id) {
        this.actionService.doAction({
            type: "ir.actions.act_window",
            res_model: "hr.employee.public",
            res_id: id,
            views: [[false, "form"]],
            target: "current",
        });
    }

    openOrder(id) {
        this.actionService.doAction({
            type: "ir.actions.act_window",
            res_model: "repair.order",
            res_id: id,
            views: [[false, "form"]],
            target: "current",
        });
    }

    get countsText() {
        const data = this.state.data;
        return _t("%(technicians)s technicians, %(orders)s open orders on the map", {
            technicians: data.technicians.filter((t) => t.latitude || t.longitude).length,
            orders: data.orders.length,
        });
    }
}

function escapeHtml(text) {
    return String(text ?? "")
        .replace(/&/g, "&amp;")
        .replace(/</g, "&lt;")
        .replace(/>/g, "&gt;")
        .replace(/"/g, "&quot;")
        .replace(/'/g, "&#39;");
}

registry.category("actions").add("aftersales_ops_map", OpsMap);
