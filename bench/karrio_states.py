"""Which of our parcel states each karrio carrier reaches against loopback, per carrier.

    python -m bench.karrio_states

Replays the answers of the karrio poll-cycle tests (``tests/tracking/test_karrio*.py``: each
carrier's answers in the order a poll meets them) through karrio's request and parse code and
our client, and prints, per carrier, the newest status after each answer, whether that is the
journey the test asserts, and the other states the tests cover for it. Carriers tested on a
single answer (their full history, ``test_karrio_more.py``) show the states of its events.
Needs the ``[carriers]`` extra and the cache of ``demo.settings`` (REDIS_URL).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "demo.settings")


def journeys():
    """``(our code, karrio name, account, number, answers, expected journey, also)``."""
    from tests.tracking import test_karrio as base
    from tests.tracking import test_karrio_post as post
    from tests.tracking import test_karrio_reach as reach

    names = {"UPS Standard": "ups", "GLS Business": "gls", "DHL Paket": "dhl", "DPD Classic": "dpd"}
    extension = {"ups": "ups", "gls": "gls", "dhl": "dhl_parcel_de", "dpd": "dpd"}
    also = {  # states the per-answer tests add (exceptions and pick-up)
        "ups": "exception",
        "gls": "failed_attempt",
        "dhl": "failed_attempt",
        "dpd": "failed_attempt, ready_for_pickup",
        "royal_mail": "failed_attempt, exception",
        "post_fr": "failed_attempt, exception",
        "purolator": "failed_attempt",
        "post_au": "",
    }
    for method, number, answers, journey in base.JOURNEYS:
        code = names[method]
        account = base._accounts(_Url)[extension[code]]
        yield code, extension[code], account, number, answers, journey, also[code]
    yield ("post_au", "australiapost", post.ACCOUNT, post.NUMBER, *post.JOURNEY, also["post_au"])
    for code, number, answers, journey in reach.JOURNEYS:
        name = {"royal_mail": "royalmail", "post_fr": "colissimo", "purolator": "purolator"}[code]
        yield code, name, reach.ACCOUNTS[name], number, answers, journey, also[code]


class _Url:
    url = "http://127.0.0.1:1"  # replaced per run


def main() -> None:
    import django

    django.setup()
    from django.core.cache import cache

    from saleor_aftersales.config import parse_config
    from saleor_aftersales.core.parcel_status import advance
    from saleor_aftersales.tracking import circuit
    from saleor_aftersales.tracking.carriers.karrio_client import KarrioClient
    from tests.tracking import karrio_server as fx
    from tests.tracking import test_karrio_more as more

    rows = []
    quiet = contextlib.redirect_stderr(io.StringIO())  # karrio prints unknown JSON keys
    with fx.KarrioCarrierServer() as server, quiet:
        for code, name, account, number, answers, journey, also in journeys():
            circuit.forget()
            cache.clear()
            accounts = {name: dict(account, base_url=server.url)}
            client = KarrioClient(parse_config({"karrio_carriers": json.dumps(accounts)}))
            seen = []
            for answer in answers:
                server.answers[number] = (200, answer)
                result = client.track(code, number)
                seen.append(max(result.events, key=lambda e: e.occurred_at).status)
            rows.append((code, name, "poll", seen, seen == journey, also))
        for code, name, account, ok, _error, journey in more.EXTENSIONS:
            circuit.forget()
            cache.clear()
            server.answers.clear()
            server.default = (200, more._body(ok))
            accounts = {name: dict(account, base_url=server.url)}
            client = KarrioClient(parse_config({"karrio_carriers": json.dumps(accounts)}))
            result = client.track(code, "TRACK123")
            ordered = [e.status for e in sorted(result.events, key=lambda e: e.occurred_at)]
            stages, status = [], "pending"
            for step in filter(None, ordered):
                status = advance(status, step)
                if not stages or stages[-1] != status:
                    stages.append(status)
            rows.append((code, name, "one answer", stages, stages[-1] == journey[-1], ""))
    width = max(len(" → ".join(r[3])) for r in rows) + 2
    print(f"{'carrier':<14}{'karrio':<15}{'test':<11}{'states, in order':<{width}}ok   also")
    for code, name, kind, states, ok, also in rows:
        flow = " → ".join(states)
        print(f"{code:<14}{name:<15}{kind:<11}{flow:<{width}}{'yes' if ok else 'NO':<5}{also}")


if __name__ == "__main__":
    main()
