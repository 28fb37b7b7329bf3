from datetime import datetime, timedelta

from odoo import api, fields, models
from odoo.tools import SQL

EPOCH = datetime(1970, 1, 1)


class AftersalesPortalRate(models.Model):
    """Per-client hit counter in fixed time windows, shared by every Odoo worker.

    Each row counts the hits of one client key (an IP address) on one bucket (a
    public page such as the warranty check) inside one window. The counter is
    increased with a single ``INSERT ... ON CONFLICT DO UPDATE`` so that concurrent
    workers and servers see the same number.
    """

    _name = "aftersales.portal.rate"
    _description = "Portal Rate Limit"
    _order = "window_start desc, id desc"
    _log_access = False

    bucket = fields.Char(required=True, index=True)
    client_key = fields.Char(required=True)
    window_start = fields.Datetime(required=True, index=True)
    hits = fields.Integer(default=0, required=True)

    _sql_constraints = [
        (
            "bucket_client_window_uniq",
            "UNIQUE(bucket, client_key, window_start)",
            "One counter per bucket, client and window.",
        ),
    ]

    @api.model
    def _hit(self, bucket, client_key, limit, window_seconds):
        """Count one hit and tell whether it is still within ``limit`` per window.

        :return: ``True`` when allowed, ``False`` when the client is over the limit
        """
        window_seconds = max(int(window_seconds), 1)
        now = fields.Datetime.now().replace(microsecond=0)
        elapsed = int((now - EPOCH).total_seconds())
        window_start = now - timedelta(seconds=elapsed % window_seconds)
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO aftersales_portal_rate (bucket, client_key, window_start, hits)
                VALUES (%s, %s, %s, 1)
                ON CONFLICT (bucket, client_key, window_start)
                DO UPDATE SET hits = aftersales_portal_rate.hits + 1
                RETURNING hits
                """,
                bucket,
                client_key or "unknown",
                window_start,
            )
        )
        hits = self.env.cr.fetchone()[0]
        return hits <= limit

    @api.model
    def _allowed(self, bucket, client_key, default_limit, default_window):
        """Count one hit with the limit and window configured for ``bucket``.

        The system parameters ``aftersales_portal.<bucket>_limit`` and ``aftersales_portal.<bucket>_window``
        (seconds) override the defaults.

        :return: ``True`` when allowed, ``False`` when over the limit
        """
        params = self.env["ir.config_parameter"].sudo()
        try:
            limit = int(params.get_param(f"aftersales_portal.{bucket}_limit", default_limit))
            window = int(params.get_param(f"aftersales_portal.{bucket}_window", default_window))
        except (TypeError, ValueError):
            limit, window = default_limit, default_window
        return self._hit(bucket, client_key, limit, window)

    @api.autovacuum
    def _gc_old_windows(self):
        """Drop counters older than one day."""
        limit_date = fields.Datetime.now() - timedelta(days=1)
        self.env.cr.execute(SQL("DELETE FROM aftersales_portal_rate WHERE window_start < %s", limit_date))
