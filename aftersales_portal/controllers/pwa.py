"""The technician app (installable, offline) and the portal's web push subscriptions."""

from odoo import http
from odoo.exceptions import AccessError
from odoo.http import request
from odoo.tools import file_open

from ..tools import parse_id
from .portal import AftersalesCustomerPortal
from .uploads import read_uploads

# the website may serve the same pages under a language prefix (/fa/my/aftersales/): the worker
# registered from there controls that scope, which the header must allow
SW_ALLOWED = "/"
SYNC_STATUS = {"ok": 200, "duplicate": 200, "invalid": 400, "conflict": 409}


class AftersalesPwa(AftersalesCustomerPortal):
    # ------------------------------------------------------------------ app shell
    @http.route("/my/aftersales/sw.js", type="http", auth="public", methods=["GET"], readonly=True, sitemap=False)
    def aftersales_service_worker(self, **kw):
        """The service worker of the technician app, served under the pages it controls."""
        with file_open("aftersales_portal/static/src/service_worker/aftersales_sw.js") as file:
            body = file.read()
        return request.make_response(
            body,
            [
                ("Content-Type", "text/javascript; charset=utf-8"),
                ("Service-Worker-Allowed", SW_ALLOWED),
                ("Cache-Control", "no-cache"),
            ],
        )

    @http.route(
        "/my/aftersales/manifest.webmanifest",
        type="http",
        auth="public",
        methods=["GET"],
        readonly=True,
        sitemap=False,
    )
    def aftersales_manifest(self, **kw):
        env = request.env
        lang = env["res.lang"]._lang_get(env.lang or "en_US")
        icons = [
            {"src": f"/aftersales_portal/static/src/img/pwa-{size}.png", "sizes": f"{size}x{size}", "type": "image/png"}
            for size in (192, 512)
        ]
        manifest = {
            "name": env._("After-Sales Technician"),
            "short_name": env._("My Jobs"),
            "description": env._("Today's jobs and work reports, also without a connection."),
            "lang": (lang.code or "en_US").replace("_", "-"),
            "dir": "rtl" if lang.direction == "rtl" else "ltr",
            # the start page may be redirected to its language prefix (/fa/my/aftersales/jobs)
            "scope": "/",
            "start_url": "/my/aftersales/jobs",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#1f5f8b",
            "icons": icons,
        }
        return request.make_json_response(manifest, headers={"Content-Type": "application/manifest+json"})

    # ------------------------------------------------------------------ offline drafts
    @http.route(
        "/my/aftersales/jobs/<int:order_id>/worklog/sync",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
        sitemap=False,
    )
    def aftersales_worklog_sync(self, order_id, client_key=None, worklog_id=None, drafted_at=None, **post):
        """A work report the phone drafted offline, sent once the connection is back; answered in
        JSON (``status``, ``message``, ``errors``): 200 applied or already received, 400 refused
        input, 409 the order changed meanwhile (the phone keeps the draft and shows why)."""
        env = request.env
        try:
            order = self._aftersales_job_check(order_id)
        except AccessError:
            # not (or no longer) the user's job: the same answer whether the order exists or not
            error = env._("This job is no longer yours: your report was not sent. It stays on this phone.")
            return self._aftersales_sync_response({"status": "conflict", "errors": [error]})
        files = request.httprequest.files
        before, before_errors = read_uploads(env, files.getlist("photo_before"), kinds=("photo",))
        after, after_errors = read_uploads(env, files.getlist("photo_after"), kinds=("photo",))
        # sudo record from the technician check above (see portal_my_aftersales_job_worklog); the
        # model trusts the session user only and checks the key and the order again
        answer = order._portal_sync_worklog(
            client_key,
            post,
            worklog_id=parse_id(worklog_id) or None,
            drafted_at=drafted_at,
            action_ids=request.httprequest.form.getlist("action_ids"),
            photos_before=before,
            photos_after=after,
            upload_errors=before_errors + after_errors,
        )
        return self._aftersales_sync_response(answer)

    @staticmethod
    def _aftersales_sync_response(answer):
        body = {
            "status": answer["status"],
            "message": answer.get("message") or "",
            "errors": answer.get("errors") or [],
        }
        return request.make_json_response(body, status=SYNC_STATUS[answer["status"]])

    # ------------------------------------------------------------------ web push
    @http.route("/my/aftersales/push/key", type="json", auth="user", methods=["POST"])
    def aftersales_push_key(self, **kw):
        """The server's public VAPID key, to subscribe the browser with (mail's key pair)."""
        # sudo: reads (and creates the first time) mail's key pair in the system parameters
        return {"vapid_public_key": request.env["mail.push.device"].sudo().get_web_push_vapid_public_key()}

    @http.route("/my/aftersales/push/subscribe", type="json", auth="user", methods=["POST"])
    def aftersales_push_subscribe(self, subscription=None, **kw):
        subscription = subscription if isinstance(subscription, dict) else {}
        _device, problem = request.env["mail.push.device"]._aftersales_subscribe(
            subscription.get("endpoint"), subscription.get("keys")
        )
        return {"subscribed": not problem, "error": problem or False}

    @http.route("/my/aftersales/push/unsubscribe", type="json", auth="user", methods=["POST"])
    def aftersales_push_unsubscribe(self, endpoint=None, **kw):
        device = request.env["mail.push.device"]._aftersales_own_device(endpoint)
        deleted = bool(device)
        device.unlink()
        return {"unsubscribed": deleted}

    @http.route("/my/aftersales/push/status", type="json", auth="user", methods=["POST"])
    def aftersales_push_status(self, endpoint=None, **kw):
        return {"subscribed": bool(request.env["mail.push.device"]._aftersales_own_device(endpoint))}
