"""The installable app's server side: worker scripts, manifest, icons, offline and outbox pages."""
import hashlib
import json
import re
import struct

import pytest

from server.policy import CASE_STAFF, PUBLIC


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def worker_assets(client) -> dict:
    """The hashed URLs the server writes into sw.js (`self.LEDSAGER_ASSETS = {...};`)."""
    sw = client.get("/sw.js").get_data(as_text=True)
    first_line = sw.split("\n", 1)[0]
    assert first_line.startswith("self.LEDSAGER_ASSETS = ") and first_line.endswith(";")
    return json.loads(first_line[len("self.LEDSAGER_ASSETS = "):-1])


def test_service_worker_is_served_from_the_root_with_scope_header_and_no_cache(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.headers["Cache-Control"] == "no-cache"
    assert b"importScripts.apply(self, self.LEDSAGER_ASSETS.modules)" in response.data
    # The browser's update check on each navigation is a 304 while nothing changed.
    again = client.get("/sw.js", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


@pytest.mark.parametrize("name", ["crypto", "outbox", "caches", "strategies"])
def test_every_script_the_worker_imports_is_served_under_its_content_hash(client, name):
    url = next(u for u in worker_assets(client)["modules"] if u.startswith(f"/sw/{name}.js?v="))
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert url.endswith("v=" + hashlib.sha256(response.data).hexdigest()[:10])
    # The same file under no hash or another one is never kept for good.
    for other in (f"/sw/{name}.js", f"/sw/{name}.js?v=0000000000"):
        assert client.get(other).headers["Cache-Control"] == "no-cache"


def test_static_urls_carry_their_content_hash_and_are_immutable(app, login_as, make):
    from flask import url_for

    with app.test_request_context():
        url = url_for("static", filename="css/app.css")
        assert url_for("static", filename="no/such.css") == "/static/no/such.css"
    client = login_as(make.worker(team=make.team()))
    response = client.get(url)
    assert url == "/static/css/app.css?v=" + hashlib.sha256(response.data).hexdigest()[:10]
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    # Same for everyone: no cookie, no Vary on the session, even for a logged-in user.
    assert "Cookie" not in response.headers.get("Vary", "") and "Set-Cookie" not in response.headers
    # The ETag is the content hash (the same on every server), so a revalidation is a 304.
    assert response.headers["ETag"] == '"' + url.rsplit("=", 1)[1] + '"'
    unhashed = client.get("/static/css/app.css")
    assert unhashed.headers["Cache-Control"] == "no-cache"
    again = client.get("/static/css/app.css", headers={"If-None-Match": unhashed.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def urls_before_and_after_an_edit(app, tmp_path):
    from flask import render_template_string, url_for

    from server.pwa import assets

    (tmp_path / "css").mkdir()
    css = tmp_path / "css" / "app.css"
    real = app.static_folder
    try:
        app.static_folder = str(tmp_path)
        app.extensions.pop("ledsager_asset_versions", None)
        app.jinja_env.globals["url_for"] = assets.asset_url_for(app)  # its memo starts empty
        seen = []
        for content in ("body { color: black }", "body { color: navy }"):
            css.write_text(content)
            with app.test_request_context():
                from_template = render_template_string("{{ url_for('static', filename='css/app.css') }}")
                assert from_template == url_for("static", filename="css/app.css")
                seen.append((from_template, assets.worker_assets()))
    finally:
        app.static_folder = real
        app.extensions.pop("ledsager_asset_versions", None)
        app.jinja_env.globals["url_for"] = assets.asset_url_for(app)
    return seen


def test_in_development_a_changed_file_gets_a_new_url_and_a_new_worker_version(app, tmp_path):
    app.debug = True
    try:
        (url1, worker1), (url2, worker2) = urls_before_and_after_an_edit(app, tmp_path)
    finally:
        app.debug = False
    assert url1 != url2 and url1 in worker1["shell"] and url2 in worker2["shell"]
    assert worker1["version"] != worker2["version"]


def test_in_production_an_assets_url_is_worked_out_once_per_process(app, tmp_path):
    """A running server's files do not change (a deploy restarts it): the hash is not looked up
    again for every URL of every page."""
    assert not app.debug
    (url1, worker1), (url2, worker2) = urls_before_and_after_an_edit(app, tmp_path)
    assert url1 == url2 and "?v=" in url1 and worker1 == worker2


@pytest.mark.parametrize("name", ["sw", "README", "..%2Fserver%2Fconfig", "nothing"])
def test_only_the_listed_worker_scripts_are_served(client, name):
    assert client.get(f"/sw/{name}.js").status_code == 404


def test_manifest_makes_the_app_installable(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    manifest = json.loads(response.data)
    assert manifest["name"] == manifest["short_name"] == "Ledsager"
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#1b4d89" and manifest["background_color"] == "#ffffff"
    assert manifest["lang"] == "da"
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes


def test_manifest_icons_exist_at_their_stated_sizes(client):
    for icon in json.loads(client.get("/manifest.webmanifest").data)["icons"]:
        response = client.get(icon["src"])
        assert response.status_code == 200, icon["src"]
        width, height = png_size(response.data)
        assert f"{width}x{height}" == icon["sizes"]


def test_favicon_is_an_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.data[:4] == b"\x00\x00\x01\x00"


def test_offline_page_carries_no_user_data_so_it_can_be_precached(client, login_as, make):
    worker = make.worker(team=make.team(), name="Hemmelig Navnesen")
    response = login_as(worker).get("/offline")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Ingen forbindelse" in page
    assert "Hemmelig" not in page and "csrf" not in page.lower() and "data-user-id" not in page


def test_outbox_page_is_for_case_staff_and_rendered_on_the_phone(client, login_as, make):
    team = make.team()
    page = login_as(make.worker(team=team)).get("/outbox")
    assert page.status_code == 200
    assert b"data-outbox-page" in page.data and b"data-outbox-row" in page.data
    assert login_as(make.supervisor(team=team)).get("/outbox").status_code == 200
    assert login_as(make.admin()).get("/outbox").status_code == 403
    assert client.get("/outbox").status_code == 302


def test_every_page_loads_the_outbox_script_and_its_modules_by_hashed_url(login_as, make, client):
    page = login_as(make.worker(team=make.team())).get("/outbox").get_data(as_text=True)
    assert 'src="/static/js/outbox.js?v=' in page
    modules = json.loads(re.search(r"data-modules='([^']*)'", page).group(1))
    assert modules == worker_assets(client)["modules"][:3]


def test_pwa_policy_is_declared(app):
    table = app.extensions["ledsager_policy"]
    for endpoint in ("pwa.service_worker", "pwa.worker_script", "pwa.manifest", "pwa.offline", "pwa.favicon"):
        assert table[endpoint] is PUBLIC
    assert table["pwa.outbox"] == CASE_STAFF


def test_precached_shell_urls_all_exist(client):
    """A missing shell file makes the worker's install fail: every URL must answer 200. Only the
    pages without a hash are fetched again at install; the rest is hashed and immutable."""
    shell = worker_assets(client)["shell"]
    assert "/offline" in shell and any(u.startswith("/static/js/outbox.js?v=") for u in shell)
    assert not [u for u in shell if "icon-512" in u or "maskable" in u], "install-only icons are not needed offline"
    for url in shell:
        response = client.get(url)
        assert response.status_code == 200, url
        if "?v=" in url:
            assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable", url
        else:
            assert url in ("/offline", "/manifest.webmanifest")
            again = client.get(url, headers={"If-None-Match": response.headers["ETag"]})
            assert again.status_code == 304, url
