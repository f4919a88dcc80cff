"""ICS download per appointment, parsed back with icalendar."""
from datetime import UTC, datetime

from icalendar import Calendar


def test_ics_download_round_trips_time_summary_and_place_without_the_team_note(make, login_as):
    worker = make.worker(team=make.team())
    citizen = make.citizen(worker=worker, first_name="Hemmeligt-navn")
    starts = datetime(2026, 3, 30, 8, 0, tzinfo=UTC)  # 10:00 in Copenhagen, just after DST began
    appointment = make.appointment(citizen, worker, starts_at=starts, title="Samtale i banken",
                                   location="Søby Sparekasse, Algade 3", meeting_point="Ved busstoppet",
                                   note="INTERN-NOTE-KANARIE")
    response = login_as(worker).get(f"/appointments/{appointment.id}.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data(as_text=True)
    assert "INTERN-NOTE-KANARIE" not in body and "Hemmeligt-navn" not in body

    events = Calendar.from_ical(response.data).walk("VEVENT")
    assert len(events) == 1
    event = events[0]
    assert event.decoded("dtstart").astimezone(UTC) == starts
    assert event.decoded("dtend").astimezone(UTC) == datetime(2026, 3, 30, 9, 0, tzinfo=UTC)
    assert str(event["summary"]) == "Samtale i banken"
    assert str(event["location"]) == "Søby Sparekasse, Algade 3"
    assert "Ved busstoppet" in str(event["description"])


def test_ics_of_a_cancelled_appointment_says_cancelled(make, login_as):
    worker = make.worker(team=make.team())
    appointment = make.appointment(make.citizen(worker=worker), worker, cancelled=True)
    event = Calendar.from_ical(login_as(worker).get(f"/appointments/{appointment.id}.ics").data).walk("VEVENT")[0]
    assert str(event["status"]) == "CANCELLED"


def test_ics_is_404_for_a_worker_outside_the_caseload_and_403_for_a_citizen(make, login_as):
    team = make.team()
    worker, other = make.worker(team=team), make.worker(team=team)
    citizen = make.citizen(worker=worker, with_login=True)
    appointment = make.appointment(citizen, worker)
    assert login_as(other).get(f"/appointments/{appointment.id}.ics").status_code == 404
    assert login_as(citizen.user).get(f"/appointments/{appointment.id}.ics").status_code == 403
