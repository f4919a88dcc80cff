"""The installable app's server side: worker scripts, manifest, icons, offline and outbox pages."""
import json
import struct

import pytest

from server.policy import CASE_STAFF, PUBLIC


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_service_worker_is_served_from_the_root_with_scope_header_and_no_cache(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.headers["Cache-Control"] == "no-cache"
    assert b"importScripts(" in response.data


@pytest.mark.parametrize("name", ["crypto", "outbox", "caches", "strategies"])
def test_every_script_the_worker_imports_is_served(client, name):
    sw = client.get("/sw.js").get_data(as_text=True)
    assert f'"/sw/{name}.js"' in sw
    response = client.get(f"/sw/{name}.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"


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


def test_every_page_loads_the_outbox_script(login_as, make):
    page = login_as(make.worker(team=make.team())).get("/outbox").get_data(as_text=True)
    assert 'src="/static/js/outbox.js"' in page


def test_pwa_policy_is_declared(app):
    table = app.extensions["ledsager_policy"]
    for endpoint in ("pwa.service_worker", "pwa.worker_script", "pwa.manifest", "pwa.offline", "pwa.favicon"):
        assert table[endpoint] is PUBLIC
    assert table["pwa.outbox"] == CASE_STAFF


def test_precached_shell_urls_all_exist(client):
    """A missing shell file makes the worker's install fail: every URL must answer 200."""
    import re

    caches_js = client.get("/sw/caches.js").get_data(as_text=True)
    block = caches_js[caches_js.index("SHELL_URLS = ["):caches_js.index("];", caches_js.index("SHELL_URLS = ["))]
    urls = re.findall(r'"(/[^"]*)"', block)
    assert "/offline" in urls and "/static/js/outbox.js" in urls
    for url in urls:
        assert client.get(url).status_code == 200, url
