"""The worker's phone in a real browser (390×844): Today, caseload, citizen page, logging a visit."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from server.contacts.models import Contact
from server.db import utcnow
from server.extensions import db
from tests.citizens import builders
from tests.e2e.conftest import assert_accessible, log_in

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def stored_contacts(citizen, page, at_least=1):
    """The citizen's contacts as the server stored them. The outbox sends an entry from the page
    or, if the page is leaving, from the service worker, whose requests the page does not see:
    so the test waits for the row, not for the page's request."""
    from sqlalchemy import select

    for _ in range(300):
        db.session.expire_all()
        rows = db.session.scalars(select(Contact).where(Contact.citizen_id == citizen.id)).all()
        if len(rows) >= at_least:
            return rows
        page.wait_for_timeout(100)
    return rows


def worker_with_caseload(make):
    team = make.team()
    worker = make.worker(team=team)
    karin = make.citizen(worker=worker, first_name="Karin", last_name="Krogh")
    silent = make.citizen(worker=worker, first_name="Per", last_name="Stille")
    builders.housing(karin, worker, "shelter_110")
    builders.contact(silent, worker, occurred_at=utcnow() - timedelta(days=20))
    today = utcnow().astimezone(COPENHAGEN).date()
    builders.appointment(karin, worker, starts_at=datetime(today.year, today.month, today.day, 12, tzinfo=COPENHAGEN),
                         title="Jobcentersamtale", accompanied=True, meeting_point="Ved hovedindgangen")
    builders.reminder(worker, karin, due_at=utcnow() - timedelta(hours=1), text="Ring til boligselskabet")
    return worker, karin


def test_worker_finds_todays_work_and_logs_a_home_visit_in_three_taps(page, live_app, make):
    worker, karin = worker_with_caseload(make)
    log_in(page, worker.username)
    assert page.url.endswith("/today")
    for heading in ("Aftaler og ledsagelser", "Påmindelser", "Ikke truffet i 14 dage"):
        assert page.get_by_role("heading", name=heading).is_visible()
    assert page.get_by_text("Jobcentersamtale").is_visible()
    assert page.get_by_text("Ring til boligselskabet").is_visible()
    assert page.get_by_role("link", name="Per Stille").is_visible()
    assert_accessible(page)

    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Borgere").click()
    page.wait_for_url("**/citizens")
    assert page.get_by_text("2 af 8").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Karin Krogh").click()
    page.wait_for_url(f"**/citizens/{karin.id}")
    assert_accessible(page)

    page.get_by_role("link", name="Log kontakt").click()
    page.wait_for_url(f"**/citizens/{karin.id}/contacts/new")
    assert_accessible(page)

    taps = 0

    def tap(locator):
        nonlocal taps
        taps += 1
        locator.click()

    # Home visit at home is preselected: tap what it was about, then save.
    tap(page.get_by_label("Bolig", exact=True))
    tap(page.get_by_role("button", name="Gem kontakt"))
    assert taps <= 3
    assert [(str(c.type), c.reached) for c in stored_contacts(karin, page)] == [("home_visit", True)]
    page.wait_for_url(f"**/citizens/{karin.id}")
    contacts = page.locator("[data-contacts]")
    expect(contacts.get_by_text("Hjemmebesøg")).to_be_visible()
    expect(contacts.get_by_text("Bolig", exact=True)).to_be_visible()


def test_worker_records_tried_not_reached_with_one_tap(context, page, live_app, make):
    worker, karin = worker_with_caseload(make)
    log_in(page, worker.username)
    page.goto(f"/citizens/{karin.id}")
    page.get_by_role("button", name="Forsøgt, ikke truffet").click()
    assert [c.reached for c in stored_contacts(karin, page)] == [False]
    # A second tab: this one may still be navigating back to the citizen page by itself.
    other = context.new_page()
    other.goto(f"/citizens/{karin.id}")
    expect(other.locator("[data-contacts]").get_by_text("Opsøgende forsøg")).to_be_visible()
    expect(other.locator("[data-contacts]").get_by_text("Ikke truffet")).to_be_visible()


def test_the_log_contact_form_with_errors_is_accessible(page, live_app, make):
    worker, karin = worker_with_caseload(make)
    log_in(page, worker.username)
    page.goto(f"/citizens/{karin.id}/contacts/new")
    future = (utcnow() + timedelta(days=3)).astimezone(COPENHAGEN).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label("Tidspunkt").fill(future)
    page.get_by_role("button", name="Gem kontakt").click()
    expect(page.get_by_text("Tidspunktet ligger i fremtiden.")).to_be_visible()
    assert_accessible(page)


def test_intake_network_and_enrolment_code_work_on_the_phone(page, live_app, make):
    worker, karin = worker_with_caseload(make)
    log_in(page, worker.username)
    page.goto("/citizens/new")
    page.get_by_role("button", name="Opret borger").click()
    expect(page.get_by_text("Skriv borgerens fornavn.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Fornavn").fill("Lone")
    page.get_by_label("Efternavn").fill("Lund")
    page.get_by_label("CPR-nummer (valgfrit)").fill("0202801234")
    page.get_by_role("button", name="Opret borger").click()
    expect(page.get_by_role("heading", name="Lone Lund")).to_be_visible()
    expect(page.get_by_text("020280-****")).to_be_visible()

    page.get_by_role("link", name="Netværk", exact=True).click()
    page.get_by_label("Navn", exact=True).fill("Birthe")
    page.get_by_label("Relation").fill("mor")
    page.get_by_label("Ønsker kontakt", exact=True).check()
    page.get_by_role("button", name="Tilføj", exact=True).click()
    expect(page.locator(".contact-item").get_by_text("Birthe", exact=True)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Tilbage til Lone Lund").click()
    page.get_by_role("button", name="Lav engangskode til borgerens telefon").click()
    expect(page.locator("#enrolment-slot #enrolment-code")).to_be_visible()
    assert page.get_by_role("heading", name="Lone Lund", exact=True).is_visible()  # still on the citizen page
