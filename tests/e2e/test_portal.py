"""The citizen's own part on a small phone (360×740): enrolled by their worker with a one-time
code and a passkey, they read their plan, answer an appointment, ask for contact and see who
has looked at their data. Every portal page: axe 0 violations, no sideways scroll at 320 px."""
import re

import pytest

from tests.e2e.conftest import CSPWatcher, add_virtual_authenticator, assert_accessible, log_in
from tests.portal import builders

SMALL_PHONE = {"width": 360, "height": 740}
PORTAL_PAGES = ["/me/plan", "/me/appointments", "/me/worker", "/me/wishes", "/me/calendar",
                "/me/access-log", "/me/export"]


@pytest.fixture
def citizen_page(browser, live_server):
    """The citizen's own phone: a separate browser context (own cookies) at 360×740."""
    context = browser.new_context(viewport=SMALL_PHONE, base_url=live_server.url, locale="da-DK",
                                  timezone_id="Europe/Copenhagen")
    context.set_default_timeout(10_000)
    page = context.new_page()
    watcher = CSPWatcher(page)
    yield context, page
    context.close()
    assert not watcher.messages, f"CSP violations or page errors: {watcher.messages}"


def scroll_width(page) -> int:
    return page.evaluate("document.scrollingElement.scrollWidth")


def cut_off(page, width: int) -> list[str]:
    """Elements reaching past the right edge (fixed bars do not widen the scroll area, so
    scrollWidth alone would miss a tab pushed off the screen)."""
    return page.evaluate("""(width) => Array.from(document.querySelectorAll('body *'))
        .filter(e => e.getBoundingClientRect().right > width + 1)
        .map(e => e.tagName + ' ' + (e.innerText || '').slice(0, 30))""", width)


def test_a_citizen_enrolled_by_their_worker_uses_their_own_pages(page, citizen_page, live_app, make):
    worker = make.worker(team=make.team(), name="Mette Medarbejder", phone="+45 20 30 40 50")
    citizen = make.citizen(worker=worker, first_name="Anna", last_name="Andersen")
    builders.plan(citizen, worker, goal_words="Jeg vil have min egen lejlighed", action_what="Ringe til boligforeningen")
    builders.appointment(citizen, worker, title="Møde på jobcentret", accompanied=True)
    builders.contact(citizen, worker, shared=True, note="Vi talte om din husleje")

    # The worker makes a one-time code on the citizen's page.
    log_in(page, worker.username)
    page.goto(f"/citizens/{citizen.id}")
    page.get_by_role("button", name="Lav engangskode til borgerens telefon").click()
    code_box = page.locator("#enrolment-code")
    code_box.wait_for()
    assert code_box.locator("svg[role=img]").count() == 1
    assert_accessible(page, "#enrolment-code")
    code = re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}", code_box.locator(".code").inner_text()).group(0)

    # The citizen, on their own phone, types the code and makes a passkey.
    context, phone = citizen_page
    add_virtual_authenticator(context, phone)
    phone.goto("/enrol")
    phone.get_by_label("Engangskode").fill(code)
    phone.get_by_role("button", name="Opret adgangsnøgle").click()
    phone.wait_for_url("**/me/plan")

    # My plan, in my own words.
    assert phone.get_by_text("Jeg vil have min egen lejlighed").is_visible()
    assert phone.get_by_text("Ringe til boligforeningen").is_visible()
    assert_accessible(phone)

    # My appointments: answer "Jeg kommer".
    phone.get_by_role("link", name="Mine aftaler", exact=True).click()
    phone.wait_for_url("**/me/appointments")
    assert phone.get_by_text("Din medarbejder tager med").is_visible()
    assert_accessible(phone)
    with phone.expect_navigation():
        phone.get_by_role("button", name="Jeg kommer").click()
    assert phone.get_by_text("Du har svaret: Jeg kommer").is_visible()
    assert_accessible(phone)
    with phone.expect_download() as download:
        phone.get_by_role("link", name="Læg aftalen i min kalender").click()
    assert download.value.suggested_filename.endswith(".ics")
    assert "Møde på jobcentret" in open(download.value.path(), encoding="utf-8").read()

    # My worker: ask for contact.
    phone.get_by_role("link", name="Min medarbejder", exact=True).click()
    phone.wait_for_url("**/me/worker")
    assert phone.get_by_role("heading", name="Mette Medarbejder").is_visible()
    assert phone.get_by_text("Vi talte om din husleje").is_visible()
    with phone.expect_navigation():
        phone.get_by_role("button", name="Jeg vil gerne kontaktes").click()
    assert phone.get_by_text("Din medarbejder har fået besked").is_visible()
    assert_accessible(phone)

    # Who has looked at my data: the worker (by role) and me.
    phone.get_by_role("link", name="Hvem har set mine oplysninger").click()
    phone.wait_for_url("**/me/access-log")
    log = phone.locator("#access-log")
    assert log.get_by_text("En ICM-medarbejder").first.is_visible()
    assert log.get_by_text("Dig selv").first.is_visible()
    assert "Mette Medarbejder" not in log.inner_text()
    assert_accessible(phone)

    # Every portal page: accessible, and no sideways scrolling at 320 px nor at 200 % text.
    for path in PORTAL_PAGES:
        phone.set_viewport_size(SMALL_PHONE)
        phone.goto(path)
        assert_accessible(phone)
        phone.set_viewport_size({"width": 320, "height": 640})
        assert scroll_width(phone) <= 320, path
        assert not cut_off(phone, 320), path
        phone.evaluate("document.documentElement.style.fontSize = '200%'")
        assert scroll_width(phone) <= 320, f"{path} at 200 % text"
        assert not cut_off(phone, 320), f"{path} at 200 % text"
