"""A small JSON-RPC client for Odoo's external API (``/jsonrpc``), the same one integrators use."""

import itertools

import requests


class OdooRPCError(Exception):
    def __init__(self, error):
        self.error = error
        data = error.get("data") or {}
        self.name = data.get("name", "")
        super().__init__(data.get("message") or error.get("message"))


class OdooClient:
    _ids = itertools.count(1)

    def __init__(self, url, db, login, password):
        self.url, self.db, self.login, self.password = url, db, login, password
        self.uid = self.call("common", "login", db, login, password)
        if not self.uid:
            raise PermissionError(f"login refused for {login}")

    def call(self, service, method, *args):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"service": service, "method": method, "args": args},
            "id": next(self._ids),
        }
        resp = requests.post(f"{self.url}/jsonrpc", json=payload, timeout=60)
        resp.raise_for_status()
        body = resp.json()
        if body.get("error"):
            raise OdooRPCError(body["error"])
        return body["result"]

    def execute(self, model, method, *args, **kwargs):
        return self.call("object", "execute_kw", self.db, self.uid, self.password, model, method, list(args), kwargs)

    def web_session(self):
        """A requests session logged into the web client (for HTTP routes and the portal)."""
        session = requests.Session()
        resp = session.post(
            f"{self.url}/web/session/authenticate",
            json={"jsonrpc": "2.0", "params": {"db": self.db, "login": self.login, "password": self.password}},
            timeout=60,
        )
        resp.raise_for_status()
        if resp.json().get("error"):
            raise OdooRPCError(resp.json()["error"])
        return session
