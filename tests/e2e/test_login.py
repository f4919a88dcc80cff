"""Log-in in a real browser: password, then passkey registration and usernameless passkey log-in."""
from tests.e2e.conftest import add_virtual_authenticator, assert_accessible, log_in


def test_login_page_is_accessible(page, live_app):
    page.goto("/login")
    assert_accessible(page)


def test_worker_registers_a_passkey_and_logs_in_with_it(context, page, live_app, make):
    worker = make.worker(team=make.team())
    add_virtual_authenticator(context, page)

    log_in(page, worker.username)
    assert page.url.endswith("/today")
    page.goto("/passkeys")
    with page.expect_navigation():
        page.get_by_role("button", name="Tilføj adgangsnøgle på denne enhed").click()
    assert page.locator(".list-row").count() == 1

    page.get_by_role("button", name="Log ud").click()
    page.wait_for_url("**/login")
    page.get_by_role("button", name="Log ind med adgangsnøgle").click()
    page.wait_for_url("**/today")
    assert page.get_by_role("heading", name="I dag").is_visible()
