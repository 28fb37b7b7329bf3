import base64
import binascii
import json

from odoo import api, fields, models

from odoo.addons.mail.tools.web_push import ENCRYPTION_BLOCK_OVERHEAD, ENCRYPTION_HEADER_SIZE, MAX_PAYLOAD_SIZE

# the whole encrypted message fits in one record of a push service (4096 bytes)
MAX_PUSH_JSON = MAX_PAYLOAD_SIZE - ENCRYPTION_HEADER_SIZE - ENCRYPTION_BLOCK_OVERHEAD
PUSH_ICON = "/aftersales_portal/static/src/img/pwa-192.png"


class MailPushDevice(models.Model):
    _inherit = "mail.push.device"

    aftersales_portal = fields.Boolean(
        string="After-Sales Portal",
        index=True,
        help="Subscribed by the after-sales portal's service worker (technician app, customer status): "
        "only the portal's own notifications are sent to it.",
    )

    @api.model
    def _aftersales_payload(self, title, body, url, tag=False):
        """The JSON text the portal's service worker shows (``title``, ``options``: ``body``,
        ``icon``, ``tag``, ``data.url`` opened on tap), the body cut to fit one push record."""
        payload = {
            "title": title,
            "options": {"body": body or "", "icon": PUSH_ICON, "tag": tag or url, "data": {"url": url}},
        }
        # UTF-8 as it is (a Persian letter is 2 bytes, 6 as a JSON escape)
        text = json.dumps(payload, ensure_ascii=False)
        while len(text.encode()) > MAX_PUSH_JSON and payload["options"]["body"]:
            body = payload["options"]["body"]
            excess = len(text.encode()) - MAX_PUSH_JSON
            # a character is at most 4 bytes: cut what is surely too much, then check again
            payload["options"]["body"] = body[: max(len(body) - max(excess // 4, 1), 0)]
            text = json.dumps(payload, ensure_ascii=False)
        return text

    @api.model
    def _aftersales_queue(self, messages):
        """Queue web pushes to the portal devices of partners and let mail's cron send them
        (``mail.push`` encrypts each for its device, see ``mail/tools/web_push.py``).

        :param messages: list of ``(partner, payload_text)``
        :return: the queued ``mail.push`` records
        """
        partners = self.env["res.partner"].browse({partner.id for partner, _payload in messages})
        if not partners:
            return self.env["mail.push"]
        # sudo: devices and the push queue are system records; the callers decided who is told
        devices = self.sudo().search([("partner_id", "in", partners.ids), ("aftersales_portal", "=", True)])
        by_partner = devices.grouped("partner_id")
        vals_list = [
            {"mail_push_device_id": device.id, "payload": payload}
            for partner, payload in messages
            for device in by_partner.get(partner, self.browse())
        ]
        if not vals_list:
            return self.env["mail.push"]
        pushes = self.env["mail.push"].sudo().create(vals_list)
        self.env.ref("mail.ir_cron_web_push_notification").sudo()._trigger()
        return pushes

    # ------------------------------------------------------------------ portal subscriptions
    @api.model
    def _aftersales_subscription_problem(self, endpoint, keys):
        """Why a subscription sent by a browser cannot be stored, or ``False``: the endpoint must
        be an HTTPS address of a push service, the keys those of the browser (P-256 point, auth secret)."""
        env = self.env
        invalid = env._("This browser sent an invalid notification subscription.")
        if not isinstance(endpoint, str) or not endpoint.startswith("https://") or len(endpoint) > 1024:
            return invalid
        if not isinstance(keys, dict) or not all(isinstance(keys.get(k), str) for k in ("p256dh", "auth")):
            return invalid
        try:
            p256dh = base64.urlsafe_b64decode(keys["p256dh"] + "=" * (-len(keys["p256dh"]) % 4))
            auth = base64.urlsafe_b64decode(keys["auth"] + "=" * (-len(keys["auth"]) % 4))
        except (binascii.Error, ValueError):
            return invalid
        if len(p256dh) != 65 or p256dh[:1] != b"\x04" or len(auth) != 16:
            return invalid
        return False

    @api.model
    def _aftersales_subscribe(self, endpoint, keys):
        """Store the subscription of the signed-in user's browser for the portal's pushes.

        An endpoint is a secret of the browser that subscribed. One already stored for another
        account is never taken over nor changed: the browser is asked to subscribe anew (a new
        endpoint) instead, so that nobody can silence or redirect another user's notifications.

        :return: ``(device, problem)``: the device, or a translated reason and an empty recordset
        """
        problem = self._aftersales_subscription_problem(endpoint, keys)
        if problem:
            return self.browse(), problem
        partner = self.env.user.partner_id
        # sudo: devices are system records; the search is on the browser's own endpoint and the
        # device is written only when it is the signed-in user's
        device = self.sudo().search([("endpoint", "=", endpoint)], limit=1)
        if device and device.partner_id != partner:
            return self.browse(), self.env._("This phone is registered for another account: subscribe again.")
        vals = {
            "endpoint": endpoint,
            "keys": json.dumps({"p256dh": keys["p256dh"], "auth": keys["auth"]}),
            "partner_id": partner.id,
            "aftersales_portal": True,
        }
        if device:
            device.write(vals)
        else:
            device = self.sudo().create(vals)
        return device, False

    @api.model
    def _aftersales_own_device(self, endpoint):
        """The portal device of ``endpoint`` if it is the signed-in user's (sudo), else empty."""
        if not isinstance(endpoint, str) or not endpoint or len(endpoint) > 1024:
            return self.sudo().browse()
        # sudo: filtered on the signed-in user's partner
        return self.sudo().search(
            [
                ("endpoint", "=", endpoint),
                ("partner_id", "=", self.env.user.partner_id.id),
                ("aftersales_portal", "=", True),
            ],
            limit=1,
        )
