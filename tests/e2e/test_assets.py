"""Static files by content-hashed URL in a real browser: once the service worker is active, a
page's CSS, JS and worker modules come from its cache and nothing about them touches the
network; the precached shell is the hashed list the server wrote into sw.js."""
import json

from tests.e2e.conftest import log_in


def wait_for_shell(page):
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller !== null")
    page.wait_for_function("""async () => (await caches.keys()).some((name) => name.startsWith('ledsager-shell-'))""")


def test_a_repeat_load_takes_static_files_from_the_worker_with_no_network(context, page, make):
    worker = make.worker(team=make.team())
    log_in(page, worker.username)
    wait_for_shell(page)
    page.goto("/today")
    page.wait_for_load_state("networkidle")

    seen = []
    context.on("requestfinished", lambda request: seen.append(request))
    page.reload()
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)  # a background revalidation would show up here

    files = [r for r in seen if "/static/" in r.url or "/sw/" in r.url]
    from_page = [r for r in files if r.service_worker is None]
    assert any("/static/vendor/htmx" in r.url for r in from_page), [r.url for r in seen]
    for request in from_page:
        assert "?v=" in request.url, request.url
        assert request.response().from_service_worker, f"{request.url} was not answered by the worker"
    by_worker = [r.url for r in files if r.service_worker is not None]
    assert by_worker == [], f"the worker fetched again: {by_worker}"


def test_the_precached_shell_is_the_hashed_list_written_into_sw_js(page, make):
    worker = make.worker(team=make.team())
    log_in(page, worker.username)
    wait_for_shell(page)
    sw = page.evaluate("fetch('/sw.js').then((r) => r.text())")
    assets = json.loads(sw.split("\n", 1)[0][len("self.LEDSAGER_ASSETS = "):-1])
    kept = page.evaluate("""async (name) => (await (await caches.open(name)).keys())
        .map((r) => { const u = new URL(r.url); return u.pathname + u.search; })""",
                         "ledsager-shell-" + assets["version"])
    assert sorted(kept) == sorted(assets["shell"])
    # Offline, a page kept under an older asset version still gets the current file.
    page.context.set_offline(True)
    try:
        css = page.evaluate("""fetch('/static/css/app.css?v=0000000000').then((r) => r.status + ' ' + r.headers.get('Content-Type'))""")
    finally:
        page.context.set_offline(False)
    assert css.startswith("200 text/css"), css
