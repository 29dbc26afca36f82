"""Load: the status page and widget JSON from a real application server, against Saleor's own.

Usage:
    python bench/load.py [--levels 10,50,200] [--seconds 10] [--orders 300]
        sandbox: the plugin under uvicorn (2 worker processes, Django's ASGI handler,
        ``tests.settings`` with a bounded connection pool: ``bench/load_settings.py``) with
        PostgreSQL (``LOAD_DATABASE_URL``, default ``aftersales_load``, created and migrated
        here) and Redis (``REDIS_URL``, default db 15) as the cache; ``--orders`` sandbox
        orders with a parcel each.
    $SALEOR_PYTHON bench/load.py --saleor [--channel-routes] [--levels …] [--seconds …]
        Saleor 3.23: ``saleor.asgi:application`` under uvicorn (2 worker processes,
        Saleor's production settings with the same connection pool, Redis cache; needs
        ``psycopg[pool]`` in Saleor's environment), serving our page through Saleor's
        plugin routing and Saleor's own ``order(id)`` query (an app token with
        MANAGE_ORDERS) from the same server in the same run; the orders are Saleor's test
        fixtures, committed to ``test_saleor_load`` (copied from ``test_saleor``; run
        ``make test-saleor`` once first). ``--channel-routes``: our routes answered by
        ``ChannelRoutes`` in ``MIDDLEWARE`` (same URLs) instead of Saleor's plugin routing.

Shoppers are closed-loop clients on loopback (one keep-alive connection each, each from its
own 127.x.y.z address, as different shoppers are); each level runs ``--seconds`` after the
cache is emptied, so every order's first view (built) and its repeat views (cached) both
occur. In the "If-None-Match" workloads each shopper reloads their own order in a browser:
it keeps its cookies and each response's ``ETag`` and revalidates with ``If-None-Match`` (an
unchanged view answers ``304``). Reported per workload and level: requests per second, p50
and p99 in ms (first views, repeat 200s and 304s apart), and errors (anything but 200 or a
revalidated 304, or a broken connection). The load generator shares the machine's cores
with the server: figures are for comparison within a run, not absolute capacity.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

# Run as a script, bench/ is sys.path[0] and bench/email.py would shadow the stdlib ``email``
# (imported later by urllib and Django).
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

ROOT = Path(__file__).resolve().parent.parent
LEVELS = (10, 50, 200)


@dataclass(frozen=True)
class Target:
    """One request a shopper makes; ``key`` names the view (first request = first view)."""

    path: str
    key: str
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    revalidate: bool = False  # keep cookies and ETag, send If-None-Match (a browser)


@dataclass
class Result:
    workload: str
    shoppers: int
    seconds: float
    first: list[float] = field(default_factory=list)
    repeat: list[float] = field(default_factory=list)
    unchanged: list[float] = field(default_factory=list)  # 304 Not Modified
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    machine_cpu_s: float = 0.0  # CPU time of the whole machine during the level
    server_cpu_s: float = 0.0  # of it, the server's worker processes

    @property
    def requests(self) -> int:
        return len(self.first) + len(self.repeat) + len(self.unchanged)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def cpu_ms(self, seconds: float) -> float:
        """CPU milliseconds per request (what decides requests per second on full cores)."""
        return seconds * 1000 / self.requests if self.requests else 0.0


_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def machine_cpu() -> float:
    """Busy CPU seconds of the whole machine so far (``/proc/stat``: all but idle, iowait)."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except OSError:
        return 0.0
    return (sum(fields[:8]) - fields[3] - fields[4]) / _TICK


def process_cpu(pids: Sequence[int]) -> float:
    """User + system CPU seconds of these processes so far (``/proc/<pid>/stat``)."""
    total = 0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / _TICK


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """Two single-process uvicorn servers (one worker each) on free loopback ports.

    Shoppers are spread over both, as a load balancer in front of two workers does.
    (uvicorn's own ``--workers`` supervisor restarts a worker that misses a 5-second ping,
    which a busy shared machine makes it do while Saleor is still importing.)
    """

    def __init__(self, app: str, env: dict[str, str], *, factory: bool = False, health: str,
                 workers: int = 2):
        self.health = health
        self.ports = [free_port() for _ in range(workers)]
        self.log = tempfile.TemporaryFile()
        self.procs = []
        for port in self.ports:
            cmd = [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1",
                   "--port", str(port), "--no-access-log", "--log-level", "warning",
                   "--timeout-keep-alive", "30"]
            if factory:
                cmd.append("--factory")
            if os.environ.get("LOAD_PROFILE"):  # where a worker's time goes: py-spy's stacks
                cmd = ["py-spy", "record", "--gil", "--nonblocking", "--format", "raw",
                       "--rate", "250", "--output", f"{os.environ['LOAD_PROFILE']}-{port}.txt",
                       "--", *cmd]
            self.procs.append(subprocess.Popen(cmd, env={**os.environ, **env}, cwd=ROOT,
                                               stdout=self.log, stderr=subprocess.STDOUT,
                                               start_new_session=True))

    @property
    def pids(self) -> list[int]:
        return [proc.pid for proc in self.procs]

    def __enter__(self) -> Server:
        import urllib.error
        import urllib.request

        deadline = time.monotonic() + 300
        pending = list(self.ports)
        while pending and time.monotonic() < deadline:
            if any(proc.poll() is not None for proc in self.procs):
                break
            url = f"http://127.0.0.1:{pending[0]}{self.health}"
            try:
                with urllib.request.urlopen(url, timeout=60) as response:
                    if response.status == 200:
                        pending.pop(0)
            except urllib.error.HTTPError as exc:
                self.__exit__()
                raise RuntimeError(f"{url} answered {exc.code}:\n{self._tail()}") from exc
            except OSError:
                time.sleep(1)
        if not pending:
            return self
        self.__exit__()
        raise RuntimeError(f"servers did not start within 300 s:\n{self._tail()}")

    def _tail(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-3000:]

    def __exit__(self, *exc) -> None:
        # py-spy (LOAD_PROFILE) writes its stacks on SIGINT
        stop = signal.SIGINT if os.environ.get("LOAD_PROFILE") else signal.SIGTERM
        for proc in self.procs:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, stop)
        for proc in self.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, list[tuple[str, str]]]:
    """``(status, headers)`` of one response; its body is read and dropped."""
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("connection closed")
    status = int(status_line.split()[1])
    length, chunked, headers = 0, False, []
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        name, value = name.strip().lower(), value.strip()
        headers.append((name, value))
        if name == "content-length":
            length = int(value)
        elif name == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    if chunked:
        while (size := int((await reader.readline()).split(b";")[0], 16)) > 0:
            await reader.readexactly(size + 2)
        await reader.readline()
    elif length:
        await reader.readexactly(length)
    return status, headers


async def _shopper(n: int, ports: Sequence[int], targets: Sequence[Target], seen: set[str],
                   result: Result, deadline: float) -> None:
    port = ports[n % len(ports)]
    local = f"127.{1 + n // 250 % 250}.{n % 250 + 1}.{1 + n // 62500}"  # one address each
    rng = random.Random(n)
    reader = writer = None
    cookies: dict[str, str] = {}  # this shopper's browser: its cookies and stored ETags
    etags: dict[str, str] = {}
    own = targets[n % len(targets)]  # a revalidating shopper reloads their own order
    while time.monotonic() < deadline:
        target = own if own.revalidate else rng.choice(targets)
        method = "POST" if target.body else "GET"
        head = [f"{method} {target.path} HTTP/1.1", f"Host: 127.0.0.1:{port}",
                "Accept: */*", *[f"{k}: {v}" for k, v in target.headers]]
        asked = target.revalidate and target.path in etags
        if asked:
            head.append(f"If-None-Match: {etags[target.path]}")
        if target.revalidate and cookies:
            head.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()))
        if target.body:
            head += ["Content-Type: application/json", f"Content-Length: {len(target.body)}"]
        request = ("\r\n".join(head) + "\r\n\r\n").encode() + target.body
        first = target.key not in seen
        seen.add(target.key)
        started = time.perf_counter()
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(
                    "127.0.0.1", port, local_addr=(local, 0)
                )
            writer.write(request)
            status, headers = await asyncio.wait_for(_read_response(reader), 30)
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
            result.errors += 1
            if writer is not None:
                writer.close()
            reader = writer = None
            continue
        elapsed = (time.perf_counter() - started) * 1000
        result.statuses[status] = result.statuses.get(status, 0) + 1
        if status == 304 and asked:
            result.unchanged.append(elapsed)
            continue
        if status != 200:
            result.errors += 1
        if target.revalidate:
            _remember(headers, target.path, cookies, etags)
        (result.first if first else result.repeat).append(elapsed)
    if writer is not None:
        writer.close()


def _remember(headers: list[tuple[str, str]], path: str, cookies: dict[str, str],
              etags: dict[str, str]) -> None:
    """Keep a response's cookies and ETag, as a browser does."""
    for name, value in headers:
        if name == "set-cookie":
            key, _, rest = value.partition("=")
            cookies[key.strip()] = rest.split(";", 1)[0]
        elif name == "etag":
            etags[path] = value


def run_level(ports: Sequence[int], workload: str, targets: Sequence[Target], shoppers: int,
              seconds: float, pids: Sequence[int] = ()) -> Result:
    """``shoppers`` closed-loop clients for ``seconds`` against ``targets`` (``pids``: the
    server's processes, whose CPU time is counted apart)."""
    result = Result(workload, shoppers, seconds)
    seen: set[str] = set()

    async def main() -> None:
        deadline = time.monotonic() + seconds
        await asyncio.gather(*(_shopper(n, ports, targets, seen, result, deadline)
                               for n in range(shoppers)))

    machine, server = machine_cpu(), process_cpu(pids)
    asyncio.run(main())
    result.machine_cpu_s = machine_cpu() - machine
    result.server_cpu_s = process_cpu(pids) - server
    return result


def _pct(values: list[float], q: float) -> str:
    if not values:
        return "-"
    if len(values) == 1:
        return f"{values[0]:.0f}"
    return f"{statistics.quantiles(values, n=100, method='inclusive')[int(q) - 1]:.0f}"


def print_table(results: list[Result], title: str) -> None:
    print(f"\n{title}")
    print(f"{'workload':<28}{'shoppers':>9}{'rps':>7}{'p50':>6}{'p99':>6}"
          f"{'first p50':>10}{'first p99':>10}{'200 p50':>8}{'304 p50':>8}{'304s':>7}"
          f"{'errors':>7}{'CPU ms/req':>11}{'server':>7}")
    for r in results:
        every = r.first + r.repeat + r.unchanged
        print(f"{r.workload:<28}{r.shoppers:>9}{r.rps:>7.0f}{_pct(every, 50):>6}"
              f"{_pct(every, 99):>6}{_pct(r.first, 50):>10}{_pct(r.first, 99):>10}"
              f"{_pct(r.repeat, 50):>8}{_pct(r.unchanged, 50):>8}{len(r.unchanged):>7}"
              f"{r.errors:>7}{r.cpu_ms(r.machine_cpu_s):>11.1f}{r.cpu_ms(r.server_cpu_s):>7.1f}")
        other = {k: v for k, v in r.statuses.items() if k not in (200, 304)}
        if other:
            print(f"{'':<28}statuses other than 200/304: {other}")


def flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def run_levels(ports: Sequence[int], workloads: dict[str, Sequence[Target]], levels: Sequence[int],
               seconds: float, redis_url: str,
               warm: Callable[[], object] | None = None,
               pids: Sequence[int] = ()) -> list[Result]:
    """Each workload at each level, after emptying the cache (then ``warm()``, untimed: what
    a deployment's cache always holds, such as Saleor's check of an app token)."""
    results = []
    for shoppers in levels:
        for name, targets in workloads.items():
            flush_redis(redis_url)  # every order's first view happens again
            if warm:
                warm()
            results.append(run_level(ports, name, targets, shoppers, seconds, pids))
    return results


# --- sandbox ------------------------------------------------------------------------------


def sandbox(levels: Sequence[int], seconds: float, orders: int) -> int:
    db_url = os.environ.get("LOAD_DATABASE_URL",
                            "postgres://postgres@127.0.0.1:5432/aftersales_load")
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
    env = {"DJANGO_SETTINGS_MODULE": "bench.load_settings",
           "LOAD_BASE_SETTINGS": os.environ.get("LOAD_SETTINGS", "tests.settings"),
           "DATABASE_URL": db_url,
           "REDIS_URL": redis_url,
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    _create_database(db_url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    page, widget = _seed_sandbox(orders)
    with Server("django.core.asgi:get_asgi_application", env, factory=True,
                health=page[0].path) as server:
        results = run_levels(server.ports, workloads(page, widget), levels, seconds, redis_url,
                             pids=server.pids)
        if any(r.errors for r in results):
            print("server log (tail):\n" + server._tail()[-2500:])
    print_table(results, f"sandbox, uvicorn 2 workers, Redis cache, connection pool of "
                         f"{os.environ.get('LOAD_POOL_SIZE', '8')} per worker, {orders} orders, "
                         f"{seconds:.0f} s per level")
    return 0


def workloads(page: Sequence[Target], widget: Sequence[Target]) -> dict[str, list[Target]]:
    """Plain views (shoppers viewing any order, without a stored copy) and shoppers
    reloading their own order in a browser that revalidates its copy."""
    def revalidating(targets: Sequence[Target]) -> list[Target]:
        return [dataclasses.replace(t, revalidate=True) for t in targets]

    return {"our page": list(page), "our page, If-None-Match": revalidating(page),
            "our widget JSON": list(widget), "our widget, If-None-Match": revalidating(widget)}


def _create_database(url: str, template: str = "") -> None:
    """Create the database ``url`` names unless it exists (a copy of ``template`` if given)."""
    import dj_database_url
    import psycopg

    conf = dj_database_url.parse(url)
    with psycopg.connect(host=conf["HOST"], port=conf["PORT"] or None, user=conf["USER"],
                         password=conf["PASSWORD"] or None, dbname="postgres",
                         autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                            (conf["NAME"],)).fetchone():
            copy = f' TEMPLATE "{template}"' if template else ""
            conn.execute(f'CREATE DATABASE "{conf["NAME"]}"{copy}')


def _seed_sandbox(count: int) -> tuple[list[Target], list[Target]]:
    """``count`` orders (two lines, one parcel) told to the plugin; their page and widget."""
    from saleor_aftersales.core.ids import PLUGIN_ID
    from saleor_aftersales.core.links import make_token
    from saleor_aftersales.orchestration import lifecycle
    from sandbox import factories
    from sandbox import models as shop

    slug = "load-channel"
    channel = factories.make_channel(
        slug, shop_name="Nordwind Outfitters", storefront_url="https://shop.example.com",
        checkout_url="https://shop.example.com/checkout?checkout={checkout_id}",
    )
    ids = list(shop.Order.objects.filter(channel=channel).values_list("pk", flat=True))
    # the same two products in every order (product slugs are numbered per process)
    variants = list(shop.Variant.objects.order_by("pk")[:2])
    while len(ids) < count:
        order = factories.make_order(lines=2, parcels=1, channel=channel,
                                     variants=variants or None)
        variants = variants or [line.variant for line in order.lines.order_by("pk")]
        lifecycle.handle_order_event(str(order.pk), "order_created")
        ids.append(order.pk)
    base = f"/plugins/channel/{slug}/{PLUGIN_ID}"
    tokens = [(pk, make_token(str(pk), slug)) for pk in ids[:count]]
    page = [Target(f"{base}/status/{t}", f"page-{pk}") for pk, t in tokens]
    widget = [Target(f"{base}/api/status/{t}", f"widget-{pk}") for pk, t in tokens]
    return page, widget


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saleor", action="store_true")
    parser.add_argument("--levels", default=",".join(map(str, LEVELS)))
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--orders", type=int, default=300)
    parser.add_argument("--channel-routes", action="store_true",
                        help="serve our routes through saleor_aftersales.web.middleware."
                             "ChannelRoutes (the README's production setting)")
    args = parser.parse_args()
    if args.channel_routes:
        os.environ["LOAD_CHANNEL_ROUTES"] = "1"  # read by bench/load_settings.py
    levels = [int(x) for x in args.levels.split(",")]
    if args.saleor:
        return run_in_saleor(levels, args.seconds)
    return sandbox(levels, args.seconds, args.orders)


def run_in_saleor(levels: Sequence[int], seconds: float) -> int:
    """The Saleor half, through pytest with Saleor's fixtures (needs Saleor's interpreter)."""
    from importlib.util import find_spec

    import pytest

    saleor_init = Path(find_spec("saleor").origin).resolve()
    os.environ.setdefault("SALEOR_ROOT", str(saleor_init.parent.parent))
    url = os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/saleor_load")
    os.environ["DATABASE_URL"] = url
    base, _, name = url.rpartition("/")
    # pytest-django's test_<name>, copied from Saleor's migrated test database
    _create_database(f"{base}/test_{name}", template="test_saleor")
    os.environ.pop("REDIS_URL", None)
    os.environ["BENCH_LOAD_LEVELS"] = ",".join(map(str, levels))
    os.environ["BENCH_LOAD_SECONDS"] = str(seconds)
    os.chdir(ROOT / "tests" / "saleor")
    return pytest.main(["-c", "pytest.ini", "--reuse-db", "-q", "-s", "-p", "no:warnings",
                        "-o", "python_functions=bench_*", "-o", "python_files=bench_*.py",
                        "bench_load.py"])


if __name__ == "__main__":
    sys.exit(main())
