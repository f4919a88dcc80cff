"""The worker's Today page: today's appointments, due reminders, not reached, the outbox count."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from freezegun import freeze_time

from server.db import utcnow
from tests.citizens import builders

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def section(html, name):
    return html.split(f"data-today-{name}", 1)[1].split("</section>", 1)[0]


def test_today_shows_appointments_of_today_in_copenhagen_time(make, login_as):
    with freeze_time("2026-11-22 22:30:00"):  # 23:30 in Copenhagen: still the 22nd there
        worker = make.worker(team=make.team())
        citizen = make.citizen(worker=worker)
        local = lambda h, m=0, day=22: datetime(2026, 11, day, h, m, tzinfo=COPENHAGEN)
        builders.appointment(citizen, worker, starts_at=local(0, 30), title="Tidlig morgen", accompanied=True)
        builders.appointment(citizen, worker, starts_at=local(23, 45), title="Sent i aften")
        builders.appointment(citizen, worker, starts_at=local(0, 15, day=23), title="I morgen")
        builders.appointment(citizen, worker, starts_at=local(10), title="Aflyst", cancelled=True)
        other = make.citizen(worker=make.worker(team=make.team()))
        builders.appointment(other, worker, starts_at=local(12), title="Fremmed borger")
        html = section(login_as(worker).get("/today").get_data(as_text=True), "appointments")
    assert "Tidlig morgen" in html and "Sent i aften" in html and "Ledsagelse" in html
    assert "I morgen" not in html and "Aflyst" not in html and "Fremmed borger" not in html


def test_today_shows_my_open_reminders_due_today_and_overdue(make, login_as):
    worker = make.worker(team=make.team())
    citizen = make.citizen(worker=worker, first_name="Sofie")
    now = utcnow()
    builders.reminder(worker, citizen, due_at=now - timedelta(days=2), text="Gammel sag")
    builders.reminder(worker, due_at=now, text="Nu")
    builders.reminder(worker, due_at=now + timedelta(days=2), text="Senere")
    builders.reminder(worker, due_at=now - timedelta(hours=1), text="Allerede klaret", done=True)
    builders.reminder(make.worker(team=make.team()), due_at=now, text="Kollegas")
    html = section(login_as(worker).get("/today").get_data(as_text=True), "reminders")
    assert "Gammel sag" in html and "Overskredet" in html and "Sofie" in html and "Nu" in html
    assert "Senere" not in html and "Allerede klaret" not in html and "Kollegas" not in html


def test_today_flags_citizens_not_reached_and_has_the_outbox_placeholder(make, login_as):
    worker = make.worker(team=make.team())
    silent = make.citizen(worker=worker, first_name="Stille")
    seen = make.citizen(worker=worker, first_name="Set")
    builders.contact(silent, worker, occurred_at=utcnow() - timedelta(days=30))
    builders.contact(silent, worker, occurred_at=utcnow() - timedelta(days=1), reached=False)
    builders.contact(seen, worker, occurred_at=utcnow() - timedelta(days=2))
    html = login_as(worker).get("/today").get_data(as_text=True)
    assert "<p data-outbox-summary hidden></p>" in html
    assert "Stille" in section(html, "not-reached") and "Set" not in section(html, "not-reached")


def test_a_supervisor_has_no_today_page(make, login_as):
    assert login_as(make.supervisor(team=make.team())).get("/today").status_code == 403
