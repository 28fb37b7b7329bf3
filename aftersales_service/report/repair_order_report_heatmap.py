from odoo import api, fields, models, tools
from odoo.tools import SQL

# Grid cell size in degrees (about 55 km north-south) and the bounding box drawn by the heat map.
CELL_DEGREES = 0.5
IRAN_BBOX = {"lat_min": 25.0, "lat_max": 40.0, "lon_min": 44.0, "lon_max": 63.5}


class RepairOrderReportHeatmap(models.Model):
    _name = "repair.order.report.heatmap"
    _inherit = ["aftersales.report.past.mixin"]
    _description = "After-Sales Failure Heat Map Cell"
    _auto = False
    _order = "failure_count desc, id"

    company_id = fields.Many2one("res.company", readonly=True)
    month = fields.Date(readonly=True)
    region_id = fields.Many2one("res.country.state", readonly=True)
    failure_mode_id = fields.Many2one("aftersales.failure.mode", readonly=True)
    service_type_id = fields.Many2one("aftersales.service.type", readonly=True)
    product_categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    cell_latitude = fields.Float(string="Cell South Edge", digits=(6, 2), readonly=True, aggregator=False)
    cell_longitude = fields.Float(string="Cell West Edge", digits=(6, 2), readonly=True, aggregator=False)
    cell_name = fields.Char(string="Cell", readonly=True)
    failure_count = fields.Integer(string="Failures", readonly=True)

    def _query_period(self, date_from, date_to):
        # cells are per month of the order: the past months are stored (see the mixin)
        return SQL(
            """
            WITH located AS (
                SELECT ro.id,
                       ro.company_id,
                       date_trunc('month', ro.create_date)::date AS month,
                       partner.state_id AS region_id,
                       ro.failure_mode_id,
                       ro.service_type_id,
                       tmpl.categ_id AS product_categ_id,
                       FLOOR(COALESCE(NULLIF(line.partner_latitude, 0), partner.partner_latitude) / %(cell)s)
                           * %(cell)s AS cell_latitude,
                       FLOOR(COALESCE(NULLIF(line.partner_longitude, 0), partner.partner_longitude) / %(cell)s)
                           * %(cell)s AS cell_longitude
                  FROM repair_order ro
                  JOIN res_partner partner ON partner.id = ro.partner_id
                  LEFT JOIN aftersales_request_line line ON line.id = ro.aftersales_request_line_id
                  LEFT JOIN product_product prod ON prod.id = ro.product_id
                  LEFT JOIN product_template tmpl ON tmpl.id = prod.product_tmpl_id
                 WHERE ro.is_aftersales
                   AND ro.state <> 'cancel'
                   AND ro.create_date >= %(date_from)s
                   AND ro.create_date < %(date_to)s
                   AND COALESCE(NULLIF(line.partner_latitude, 0), partner.partner_latitude, 0) <> 0
                   AND COALESCE(NULLIF(line.partner_longitude, 0), partner.partner_longitude, 0) <> 0
            )
            -- the first order of the cell is a stable unique id
            SELECT MIN(id) AS id,
                   company_id, month, region_id, failure_mode_id, service_type_id, product_categ_id,
                   cell_latitude, cell_longitude,
                   to_char(cell_latitude, 'FM990.0') || ', ' || to_char(cell_longitude, 'FM990.0') AS cell_name,
                   COUNT(*) AS failure_count,
                   now() AT TIME ZONE 'UTC' AS computed_on
              FROM located
          GROUP BY company_id, month, region_id, failure_mode_id, service_type_id, product_categ_id,
                   cell_latitude, cell_longitude
            """,
            cell=CELL_DEGREES,
            date_from=date_from,
            date_to=date_to,
        )

    def init(self):
        # the orders of the current month, computed at each read
        tools.create_index(
            self.env.cr, "repair_order_aftersales_create_idx", "repair_order", ["create_date"], where="is_aftersales"
        )
        return super().init()

    @api.model
    def _get_heatmap_svg_data(self, domain=None, width=760):
        """Cells of the grid (aggregated over ``domain``) placed on an SVG canvas of Iran's bounding box.

        Returns a dict with the canvas size, the cells (x, y, size, count, opacity, label), the scale and
        when the oldest figures were computed (``computed_on``).
        """
        groups = self._read_group(
            domain or [],
            ["cell_latitude", "cell_longitude"],
            ["failure_count:sum", "computed_on:min"],
            order="cell_latitude, cell_longitude",
        )
        bbox = IRAN_BBOX
        scale = width / (bbox["lon_max"] - bbox["lon_min"])
        height = round((bbox["lat_max"] - bbox["lat_min"]) * scale)
        top = max((count for _lat, _lon, count, _computed in groups), default=0)
        cells = []
        for lat, lon, count, _computed in groups:
            inside = bbox["lat_min"] <= lat < bbox["lat_max"] and bbox["lon_min"] <= lon < bbox["lon_max"]
            if not inside or not count:
                continue
            cells.append(
                {
                    "x": round((lon - bbox["lon_min"]) * scale, 1),
                    "y": round((bbox["lat_max"] - lat - CELL_DEGREES) * scale, 1),
                    "size": round(CELL_DEGREES * scale, 1),
                    "count": count,
                    "opacity": round(0.15 + 0.85 * count / top, 2),
                    "label": f"{lat:.1f}, {lon:.1f}: {count}",
                }
            )
        grid = [
            {"x": round((lon - bbox["lon_min"]) * scale, 1), "label": f"{lon:g}"}
            for lon in range(int(bbox["lon_min"]), int(bbox["lon_max"]) + 1, 2)
        ]
        return {
            "width": width,
            "height": height,
            "cells": cells,
            "max_count": top,
            "total": sum(cell["count"] for cell in cells),
            "outside": sum(count for _lat, _lon, count, _computed in groups) - sum(cell["count"] for cell in cells),
            "computed_on": min((computed for *_cell, computed in groups if computed), default=False),
            "lon_ticks": grid,
            "lat_ticks": [
                {"y": round((bbox["lat_max"] - lat) * scale, 1), "label": f"{lat:g}"}
                for lat in range(int(bbox["lat_min"]), int(bbox["lat_max"]) + 1, 2)
            ],
        }

    def action_open_heatmap(self):
        """Open the SVG heat map of every located failure the user can see (the printed page)."""
        return self.env.ref("aftersales_service.action_report_repair_order_heatmap").report_action(
            None, data={"domain": []}
        )
