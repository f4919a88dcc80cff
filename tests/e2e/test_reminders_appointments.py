"""Reminders and accompaniments on a phone: add a reminder and mark it done; record an
accompaniment, then its outcome with a follow-up that shows up as a reminder."""
import re
from datetime import timedelta

from server.db import utcnow
from server.localtime import to_local
from tests.e2e.conftest import assert_accessible, log_in

SHOW_PAGE = re.compile(r".*/appointments/\d+$")


def test_worker_adds_a_reminder_and_marks_it_done(page, live_app, make):
    worker = make.worker(team=make.team())
    citizen = make.citizen(worker=worker, first_name="Lone")
    log_in(page, worker.username)

    page.goto("/reminders")
    assert_accessible(page)
    page.get_by_role("link", name="Ny påmindelse").click()
    page.get_by_label("Hvad skal du huske?").fill("Ring til boligselskabet om nøgler")
    page.get_by_label("Borger").select_option(label=f"Lone {citizen.last_name}")
    assert_accessible(page)
    page.get_by_role("button", name="Gem påmindelse").click()
    page.wait_for_url("**/reminders")

    row = page.locator(".reminder", has_text="Ring til boligselskabet om nøgler")
    assert row.count() == 1 and "Lone" in row.inner_text()
    assert_accessible(page)
    with page.expect_navigation():
        row.get_by_role("button", name="Klaret").click()
    assert page.locator(".reminder", has_text="Ring til boligselskabet om nøgler").count() == 0


def test_worker_records_an_accompaniment_and_its_outcome_with_a_follow_up_reminder(page, live_app, make):
    worker = make.worker(team=make.team())
    citizen = make.citizen(worker=worker, first_name="Bent")
    log_in(page, worker.username)

    page.goto(f"/citizens/{citizen.id}/appointments/new?accompanied=1")
    assert page.get_by_role("heading", name="Ledsag til møde").is_visible()
    assert page.get_by_role("switch", name="Jeg ledsager borgeren").is_checked()
    assert_accessible(page)
    page.get_by_role("radio", name="Jobcenter").check()
    page.get_by_label("Hvad drejer det sig om?").fill("Samtale om ressourceforløb")
    page.get_by_label("Hvor?").fill("Jobcenter Søby, Torvet 1")
    page.get_by_label("Mødested").fill("Ved kiosken på stationen")
    page.get_by_role("button", name="Gem aftale").click()
    page.wait_for_url(SHOW_PAGE)
    assert page.get_by_role("heading", name="Samtale om ressourceforløb").is_visible()
    assert page.get_by_text("Ved kiosken på stationen").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Registrér udfald").click()
    page.get_by_role("radio", name="Ja").check()
    page.get_by_label("Hvad kom der ud af det?").fill("Ressourceforløb bevilget")
    page.get_by_label("Hvad skal følges op?").fill("Send lægeattest til jobcentret")
    page.get_by_label("Gør opfølgningen til en påmindelse").check()
    due = to_local(utcnow() - timedelta(days=1)).date().isoformat()  # already due: listed first
    page.get_by_label("Påmindelse dato").fill(due)
    assert_accessible(page)
    page.get_by_role("button", name="Gem udfald").click()
    page.wait_for_url(SHOW_PAGE)
    assert page.get_by_text("Ressourceforløb bevilget").is_visible()

    page.goto("/reminders")
    due_list = page.locator("#reminders-due")
    assert due_list.get_by_text("Send lægeattest til jobcentret", exact=True).is_visible()
    assert due_list.get_by_text("Opfølgning på aftale").is_visible()

    page.goto(f"/citizens/{citizen.id}/appointments")
    assert page.get_by_text("Samtale om ressourceforløb").is_visible()
    assert_accessible(page)
