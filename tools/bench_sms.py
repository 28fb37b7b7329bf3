"""Inbound SMS throughput: a campaign where thousands of customers text their serial at once.

``--senders`` gateway connections (default 20) post, without pause for ``--seconds`` (default 30), signed
calls (HMAC headers ``X-Sms-Timestamp``, ``X-Sms-Nonce``, ``X-Sms-Signature``, as the addon's readme
documents) to the inbound webhook ``/sms_gateway/inbound/<id>`` of ``sms_gateway_ir``, on a server started
with ``--workers`` workers (default 4, crons off). Each message is one customer texting a serial number:
half from the mobile of the card's owner (a known contact), half from numbers nobody knows yet (a contact
is created). The webhook stores and processes each message in the same request (``sms.inbound
._receive_message``: sender identified, warranty looked up by ``aftersales_service``, reply queued as an
``sms.sms`` that the SMS cron sends later), so a message answered 200 is processed; the script checks it
afterwards in the database (state ``processed``, a reply queued) and counts anything else as an error.

Baseline in the same run: Odoo's ``/web/health`` (the HTTP stack without a database) with the same number
of connections for the same time. Figures: messages/s accepted and processed, p50/p95 latency, errors.

The fixtures (a provider ``Bench inbound SMS`` with its own secret, the benchmark warranty cards of
``bench_warranty.py``, mobiles on the benchmark customers) are committed once; the messages stay (one run
adds a few thousand ``sms.inbound``, contacts and queued ``sms.sms``). Example::

    .venv/bin/python tools/bench_sms.py --db aftersales_bench --json .data/bench-sms.json
"""

# pylint: disable=print-used
import argparse
import hashlib
import hmac
import json
import os
import random
import secrets
import statistics
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_portal import run_load, start_server  # noqa: E402 (tools/ is not a package)

PROVIDER_NAME = "Bench inbound SMS"
KNOWN_PREFIX = "091250"  # + 5 digits: mobile of the benchmark customer BENCH-C<5 digits>


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--json", help="write the result rows for ./aftersales bench")
    parser.add_argument("--quick", action="store_true", help="5 senders, 5 s, 1,000 cards")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--senders", type=int, default=20, help="concurrent gateway connections")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--cards", type=int, default=100000, help="warranty cards in the database")
    args = parser.parse_args()
    if args.quick:
        args.senders, args.seconds, args.cards = 5, 5, 1000
    return args


def ensure_fixtures(db, cards):
    """Warranty cards (bench_warranty's generator), mobiles on their owners, the provider; committed.
    Returns (odoo registry, provider id, secret, number of cards)."""
    from bench_warranty import Bench, odoo_config  # noqa: PLC0415

    odoo = odoo_config(db)
    bench = Bench(odoo, db)
    with bench.registry.cursor() as cr:
        env = bench.env(cr)
        wtype, products, partners = bench.ensure_fixtures(env)
        cards = bench.grow_to(env, cards, wtype, products, partners)
        # the owners of the cards are known contacts with a mobile (card i belongs to customer i % PARTNERS)
        cr.execute(
            "UPDATE res_partner SET mobile = %s || substr(ref, 8) WHERE ref LIKE 'BENCH-C%%' AND mobile IS NULL",
            [KNOWN_PREFIX],
        )
        provider = env["sms.gateway.provider"].search([("name", "=", PROVIDER_NAME)], limit=1)
        if not provider:
            provider = env["sms.gateway.provider"].create(
                {
                    "name": PROVIDER_NAME,
                    "kind": "kavenegar",
                    "url": "http://127.0.0.1:9/v1/{api_key}/sms/send.json",  # never called: crons are off
                    "api_key": "K",
                    "sender_number": "10004346",
                    "inbound_token": secrets.token_urlsafe(32),
                    "inbound_auth": "hmac",
                    # each benchmark customer texts many times an hour: no reply suppressed by the limit
                    "reply_rate_limit": 1000,
                    "review_user_id": env.ref("base.user_admin").id,
                }
            )
        cr.commit()  # pylint: disable=invalid-commit
        return bench.registry, provider.id, provider.inbound_token, cards, len(partners)


def signed_headers(secret, path, body):
    """The headers of a signed call (canonical string of the addon's readme, "Webhook signing")."""
    timestamp, nonce = str(int(time.time())), secrets.token_urlsafe(16)
    canonical = b"\n".join([timestamp.encode(), nonce.encode(), b"POST", path.encode(), b"", body])
    return {
        "Content-Type": "application/json",
        "X-Sms-Timestamp": timestamp,
        "X-Sms-Nonce": nonce,
        "X-Sms-Signature": hmac.new(secret.encode(), canonical, hashlib.sha256).hexdigest(),
    }


def message_maker(url, path, secret, cards, partners, stamp):
    counter = iter(range(10**9))

    def send(session, rng):
        number = next(counter)
        card = rng.randint(1, cards)
        if number % 2:
            sender = f"{KNOWN_PREFIX}{card % partners:05d}"  # the card's owner
        else:
            sender = f"0936{(stamp * 7919 + number) % 10**7:07d}"  # a number nobody knows yet
        payload = {"from": sender, "message": f"BENCHSN{card:08d}", "messageid": f"bench-{stamp}-{number}"}
        body = json.dumps(payload).encode()
        headers = signed_headers(secret, path, body)
        response = session.post(f"{url}{path}", data=body, headers=headers, timeout=60)
        return response.status_code == 200 and response.json().get("status") == "ok"

    return send


def outcome(registry, provider_id, after_id):
    """States of the messages stored since ``after_id``, and how many got a reply queued."""
    with registry.cursor() as cr:
        cr.execute(
            """SELECT state, match_type, reply_sms_id IS NOT NULL, count(*) FROM sms_inbound
                WHERE provider_id = %s AND id > %s GROUP BY 1, 2, 3 ORDER BY 4 DESC""",
            [provider_id, after_id],
        )
        return cr.fetchall()


def last_id(registry):
    with registry.cursor() as cr:
        cr.execute("SELECT coalesce(max(id), 0) FROM sms_inbound")
        return cr.fetchone()[0]


def main():
    args = parse_args()
    registry, provider_id, secret, cards, partners = ensure_fixtures(args.db, args.cards)
    path = f"/sms_gateway/inbound/{provider_id}"
    stamp = int(time.time())
    proc, url = start_server(args.db, args.workers, name="sms")
    try:
        sessions = [requests.Session() for _i in range(args.senders)]
        send = message_maker(url, path, secret, cards, partners, stamp)
        health = lambda session, _rng: session.get(f"{url}/web/health", timeout=30).status_code == 200  # noqa: E731
        # warm-up: every worker loads its registry and caches
        warm = run_load(send, sessions[: args.workers * 2], 3)
        if warm["errors"] and not warm["requests"]:
            sys.exit(f"every warm-up message was refused, see {args.db}-bench-sms.log")
        alone = []
        for _i in range(20):
            started = time.perf_counter()
            send(sessions[0], random.Random(_i))
            alone.append((time.perf_counter() - started) * 1000)
        baseline = run_load(health, sessions, args.seconds)
        before = last_id(registry)
        campaign = run_load(send, sessions, args.seconds)
    finally:
        proc.terminate()
        proc.wait(30)
    load = os.getloadavg()[0]
    states = outcome(registry, provider_id, before)
    stored = sum(row[3] for row in states)
    answered = sum(row[3] for row in states if row[0] == "processed" and row[2])
    processed_rate = answered / campaign["seconds"]
    ratio = campaign["rps"] / (baseline["rps"] or 1)
    print(
        f"{args.senders} gateway connections without pause, {args.seconds:.0f} s each, {args.workers} workers, "
        f"{cards:,} warranty cards; load average {load:.1f}"
    )
    print(f"{'call':28} {'req':>6} {'err':>4} {'p50 ms':>7} {'p95 ms':>7} {'req/s':>7}")
    for name, row in (("/web/health (baseline)", baseline), ("inbound SMS (signed)", campaign)):
        print(
            f"{name:28} {row['requests']:6d} {row['errors']:4d} {row['p50_ms']:7.0f} {row['p95_ms']:7.0f} "
            f"{row['rps']:7.1f}"
        )
    print(f"one sender alone: p50 {statistics.median(alone):.0f} ms per message")
    print("stored messages by state, match, reply queued:", states)
    print(
        f"accepted {campaign['requests']} ({campaign['rps']:.1f}/s), "
        f"processed and answered {answered} ({processed_rate:.1f}/s)"
    )
    errors = campaign["errors"] + baseline["errors"] + (stored - answered)
    passed = errors == 0 and answered == campaign["requests"]
    note = (
        f"{args.senders} connections without pause for {args.seconds:.0f} s, {args.workers} workers, "
        f"{cards:,} cards; half known senders, half new numbers; processed synchronously in the call; "
        f"errors {errors}; one sender alone p50 {statistics.median(alone):.0f} ms; load {load:.1f}"
    )
    rows = [
        {
            "figure": f"sms: inbound messages accepted, {args.senders} senders, {args.workers} workers",
            "size": args.senders,
            "value": round(campaign["rps"], 1),
            "unit": "msg/s",
            "target": "0 errors, every message processed",
            "baseline": round(baseline["rps"], 1),
            "ratio": round(ratio, 3),
            "passed": passed,
            "note": "baseline: /web/health req/s, same connections, same run; " + note,
        },
        {
            "figure": f"sms: inbound messages processed and answered, {args.senders} senders",
            "size": args.senders,
            "value": round(processed_rate, 1),
            "unit": "msg/s",
            "target": "= accepted",
            "baseline": round(campaign["rps"], 1),
            "ratio": round(processed_rate / (campaign["rps"] or 1), 3),
            "passed": passed,
            "note": "baseline: accepted msg/s; state processed with a reply queued, checked in the database",
        },
        {
            "figure": f"sms: inbound call p95, {args.senders} senders",
            "size": args.senders,
            "value": round(campaign["p95_ms"], 1),
            "unit": "ms",
            "target": "0 errors",
            "baseline": round(baseline["p95_ms"], 1),
            "ratio": round(campaign["p95_ms"] / (baseline["p95_ms"] or 1), 1),
            "passed": errors == 0,
            "note": f"baseline: /web/health p95; p50 {campaign['p50_ms']:.0f} ms vs {baseline['p50_ms']:.0f} ms",
        },
    ]
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0  # a missed target is a row marked FAIL, not a crash


if __name__ == "__main__":
    sys.exit(main())
