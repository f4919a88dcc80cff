"""Bytes on the first load of worker Today and on a repeat load with the service worker active.

Method (real headless Chromium via Playwright, Debian's /usr/bin/chromium, a 390×844 phone):
- The browser talks to gunicorn through a byte-counting TCP proxy on loopback: the proxy's count
  of bytes sent to the browser is the ground truth for "over the network" (HTTP headers and
  bodies; nothing else can reach the browser).
- gunicorn does not compress (in production a proxy/CDN would). "Compressed" is therefore
  computed: every response fetched over the network (by the page and by the service worker,
  seen with Playwright's request events) counts its response headers as sent plus its body
  gzip'd at level 6 (nginx's gzip_comp_level is 1..9; 6 is the common setting); bodies of
  already-compressed types (images, woff2) count as sent.
- Which of those responses came over the network is read from gunicorn's access log (every
  request that reached the server, with its status): a response the browser answered from its
  own HTTP cache (Playwright reports it like any other) is listed with `from_http_cache` and not
  counted, and a 304 revalidation counts its headers only (it has no body).
- First load: a fresh browser profile (empty HTTP cache, no service worker) with the session
  cookie of a logged-in worker opens /today and waits until the network is idle and the service
  worker has installed (its precache counts: the phone downloads it on first load), then until
  every request in the access log has been reported by Playwright (the worker's come late).
- Repeat load: the same profile opens /today again once the service worker controls the page.
  Network bytes are the proxy's count during that navigation (+2 s for background revalidation).
"""
import gzip
import json
from collections import Counter
import os
import shutil
import socket
import tempfile
import threading
import time

from benchmarks.latency import login_staff

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"]
INCOMPRESSIBLE = ("image/png", "image/jpeg", "image/webp", "font/woff2", "image/gif")
SETTLE_S = 2.0


class CountingProxy:
    """A loopback TCP proxy that counts the bytes each way."""

    def __init__(self, target_port: int):
        self.target = ("127.0.0.1", target_port)
        self.to_browser = 0
        self.to_server = 0
        self.lock = threading.Lock()
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.running = True
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while self.running:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            threading.Thread(target=self._pipe, args=(client, upstream, "to_server"), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, "to_browser"), daemon=True).start()

    def _pipe(self, src, dst, counter):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                with self.lock:
                    setattr(self, counter, getattr(self, counter) + len(data))
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def snapshot(self) -> int:
        with self.lock:
            return self.to_browser

    def close(self):
        self.running = False
        self.sock.close()


def _gzip_len(body: bytes) -> int:
    return len(gzip.compress(body, compresslevel=6, mtime=0))


def measure(base: str, users: dict, access_log: str | None = None, log=print, database_url: str | None = None) -> dict:
    from playwright.sync_api import sync_playwright

    port = int(base.rsplit(":", 1)[1])
    proxy = CountingProxy(port)
    pbase = f"http://127.0.0.1:{proxy.port}"
    worker = users["workers"][0]
    session = login_staff(pbase, worker["username"], users["password"], "ledsager_session")
    cookie = {"name": "ledsager_session", "value": session.cookies["ledsager_session"], "domain": "127.0.0.1",
              "path": "/", "httpOnly": True, "sameSite": "Lax"}
    records: list[dict] = []

    def on_finished(request):
        try:
            response = request.response()
            if response is None:
                return
            sizes = request.sizes()
            try:
                body = response.body()
            except Exception:
                body = b""
            ctype = (response.headers.get("content-type") or "").split(";")[0]
            records.append({
                "url": request.url.replace(pbase, ""), "status": response.status, "type": ctype,
                "by_service_worker": request.service_worker is not None,
                "from_service_worker": response.from_service_worker,
                "headers_bytes": sizes.get("responseHeadersSize", 0),
                "body_bytes": len(body),
                "gzip_body_bytes": len(body) if (ctype in INCOMPRESSIBLE or not body) else _gzip_len(body),
            })
        except Exception as error:  # a closed page while reading a body: skip, don't fail the run
            records.append({"url": request.url, "error": str(error)})

    out: dict = {"method": __doc__.split("\n\n", 1)[1].strip()}
    with sync_playwright() as p:
        profile = tempfile.mkdtemp(prefix="ledsager-bytes-")
        # A persistent profile, as on a phone (an incognito context is never installable).
        context = p.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True,
            viewport={"width": 390, "height": 844}, base_url=pbase, service_workers="allow")
        context.add_cookies([cookie])
        context.on("requestfinished", on_finished)
        page = context.new_page()

        before = proxy.snapshot()
        log_mark = _log_offset(access_log)
        page.goto("/today", wait_until="networkidle")
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        late = _settle(page, records, access_log, log_mark)
        first_wire = proxy.snapshot() - before
        first = _over_network([r for r in records if "error" not in r and not r["from_service_worker"]],
                              access_log, log_mark)
        fill_bodies(first, session, pbase)
        unrecorded = _unrecorded(first_wire, first, access_log)
        out["first_load"] = {
            "requests": len(first),
            "wire_bytes_uncompressed": first_wire,
            "uncompressed_total_bytes": sum(r["headers_bytes"] + r["body_bytes"] for r in first),
            "unrecorded_wire_bytes": unrecorded,
            "compressed_total_bytes": sum(r["headers_bytes"] + r["gzip_body_bytes"] for r in first) + unrecorded,
            "compressed_body_bytes": sum(r["gzip_body_bytes"] for r in first),
            "resources": first,
            "from_http_cache": [r["url"] for r in records if r.get("from_http_cache")],
            "logged_requests_without_a_record": late,
        }
        log(f"  first load: {len(first)} requests, {out['first_load']['compressed_total_bytes'] / 1024:.1f} KB "
            f"compressed ({first_wire / 1024:.1f} KB on the wire uncompressed)")

        # Repeat loads: the second visit (the worker has just taken control) and the third (steady
        # state, what every later visit costs). The figure is the third.
        for key in ("second_load", "repeat_load"):
            controlled = page.evaluate("navigator.serviceWorker.controller !== null")
            records.clear()
            before = proxy.snapshot()
            log_mark = _log_offset(access_log)
            page.goto("/today", wait_until="networkidle")
            late = _settle(page, records, access_log, log_mark)
            wire = proxy.snapshot() - before
            network = _over_network([r for r in records if "error" not in r and not r["from_service_worker"]],
                                    access_log, log_mark)
            fill_bodies(network, session, pbase)
            unrecorded = _unrecorded(wire, network, access_log)
            out[key] = {
                "service_worker_controlled": controlled,
                "network_bytes": wire,
                "network_requests": len(network) + len(late),
                "unrecorded_wire_bytes": unrecorded,
                "compressed_network_bytes": sum(r["headers_bytes"] + r["gzip_body_bytes"] for r in network) + unrecorded,
                "served_by_service_worker": len([r for r in records if r.get("from_service_worker")]),
                "logged_requests_without_a_record": late,
                "resources": records[:],
            }
            log(f"  {key.replace('_', ' ')} (service worker controls: {controlled}): {wire / 1024:.1f} KB over the "
                f"network in {out[key]['network_requests']} requests "
                f"({out[key]['compressed_network_bytes'] / 1024:.1f} KB if compressed)")

        installability = installability_errors(context, page)
        out["installability_errors_today"] = installability
        if database_url:
            out["log_contact_taps"] = log_contact_taps(page, worker["citizen_ids"][0], database_url)
            log(f"  log a contact: {out['log_contact_taps']}")
        context.close()
        shutil.rmtree(profile, ignore_errors=True)
    proxy.close()
    return out


def log_contact_taps(page, citizen_id: int, database_url: str) -> dict:
    """Log a contact as a worker does on the phone, from the citizen's page: count the taps
    (clicks) this script needs, the screens (page loads) on the way, whether the save button is
    visible without scrolling, and check the contact was stored (in the database)."""
    import uuid

    from sqlalchemy import create_engine, text

    note = f"Tap-test {uuid.uuid4()}"
    steps, screens = [], 0
    page.goto(f"/citizens/{citizen_id}", wait_until="networkidle")
    page.get_by_role("link", name="Log kontakt").first.click()
    steps.append("'Log kontakt' on the citizen page")
    page.wait_for_load_state("networkidle")
    screens += 1
    page.locator("textarea[name=note]").fill(note)  # optional text, not a tap
    save = page.get_by_role("button", name="Gem kontakt")
    box = save.bounding_box()
    visible_without_scrolling = bool(box and box["y"] + box["height"] <= page.viewport_size["height"])
    save.click()
    steps.append("'Gem kontakt'")
    page.wait_for_load_state("networkidle")
    time.sleep(1)
    engine = create_engine(database_url)
    with engine.begin() as c:
        stored = c.execute(text("select count(*) from contacts where note = :n"), {"n": note}).scalar()
        c.execute(text("delete from contacts where note = :n"), {"n": note})
    engine.dispose()
    return {"taps": len(steps), "steps": steps, "form_screens": screens, "one_screen": screens == 1,
            "save_visible_without_scrolling": visible_without_scrolling, "stored": stored,
            "defaults": "type home visit and place home are preselected; note typed (optional text)"}


def _log_offset(access_log: str | None) -> int:
    if not access_log:
        return 0
    try:
        return os.path.getsize(access_log)
    except OSError:
        return 0


def _logged(access_log: str, offset: int) -> list[tuple[str, int]]:
    """(path, status) of each request gunicorn logged since `offset`."""
    with open(access_log, "rb") as f:
        f.seek(offset)
        lines = f.read().decode("utf-8", "replace").splitlines()
    return [(parts[1], int(parts[2])) for parts in (line.split() for line in lines)
            if len(parts) >= 3 and parts[2].isdigit()]


def _path(record: dict) -> str:
    return record["url"].split("?", 1)[0].split("#", 1)[0]


def _settle(page, records: list[dict], access_log: str | None, offset: int, quiet_s: float = 3.0) -> list[str]:
    """Wait SETTLE_S, then until every request the server logged has its Playwright record, or
    nothing new has come for `quiet_s`.

    With Playwright's sync API, events are delivered only while a Playwright call runs (so
    page.wait_for_timeout, never time.sleep), and the service worker's requests are reported
    late: reading the records too early missed part of the precache. Returns the logged paths
    still without a record (Chromium does not report its own update check of /sw.js); their
    bytes count through `unrecorded_wire_bytes`."""
    page.wait_for_timeout(SETTLE_S * 1000)
    if not access_log:
        return []
    last, quiet_since = None, time.monotonic()
    while True:
        seen = Counter(_path(r) for r in records if "error" not in r and not r["from_service_worker"])
        logged = _logged(access_log, offset)
        missing = Counter(path for path, _ in logged)
        missing.subtract(seen)
        late = sorted(path for path, n in missing.items() if n > 0)
        state = (len(records), len(logged))
        if state != last:
            last, quiet_since = state, time.monotonic()
        if not late or time.monotonic() - quiet_since > quiet_s:
            return late
        page.wait_for_timeout(250)


def _unrecorded(wire: int, network: list[dict], access_log: str | None) -> int:
    """Bytes the proxy saw that no record explains (a request Playwright never reported, such as
    the browser's update check of /sw.js), counted as sent: uncompressed."""
    if not access_log:
        return 0
    return max(0, wire - sum(r["headers_bytes"] + r["body_bytes"] for r in network))


def _over_network(records: list[dict], access_log: str | None, offset: int) -> list[dict]:
    """The records that reached the server, by gunicorn's access log since `offset` (lines of
    `method path status bytes`, the path without its query). Each log line is matched to one
    record of the same path, in order; a record left without a line was answered by the
    browser's HTTP cache (marked and left out). A 304 has no body. Without a log, all count."""
    if not access_log:
        return records
    hits: dict[str, list[int]] = {}
    for path, status in _logged(access_log, offset):
        hits.setdefault(path, []).append(status)
    network = []
    for r in records:
        path = _path(r)
        if hits.get(path):
            status = hits[path].pop(0)
            if status == 304:
                r.update(status=304, body_bytes=0, gzip_body_bytes=0)
            network.append(r)
        else:
            r["from_http_cache"] = True
    return network


def fill_bodies(records: list[dict], session, base: str) -> None:
    """Playwright cannot read the bodies of some service-worker fetches (cache.addAll): fetch
    those URLs once more to size them (a 304 revalidation has no body and stays 0)."""
    for r in records:
        if r["body_bytes"] == 0 and r["status"] == 200:
            body = session.get(base + r["url"], timeout=30).content
            r["body_bytes"] = len(body)
            r["gzip_body_bytes"] = len(body) if r["type"] in INCOMPRESSIBLE else _gzip_len(body)
            r["body_sized_by_refetch"] = True


def installability_errors(context, page) -> list[str]:
    """Chromium's own verdict (Page.getInstallabilityErrors): [] means installable."""
    cdp = context.new_cdp_session(page)
    result = cdp.send("Page.getInstallabilityErrors")
    return [e.get("errorId", json.dumps(e)) for e in result.get("installabilityErrors", [])]
