"""Input helpers of the portal routes (import from ``odoo.addons.aftersales_portal.tools``)."""

from .inputs import parse_coordinate, parse_id, text_error, text_problem

__all__ = ["parse_coordinate", "parse_id", "text_error", "text_problem"]
