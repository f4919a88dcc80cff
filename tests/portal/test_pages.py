"""The citizen's own pages: plan, appointments, worker, wishes and the calendar link."""
from datetime import timedelta

from sqlalchemy import select

from server.appointments.models import CalendarFeed
from server.audit.models import AuditEvent
from server.extensions import db
from server.reminders.models import Reminder, ReminderSource
from tests.portal import builders


def text(response) -> str:
    return response.get_data(as_text=True)


def test_plan_shows_the_latest_version_in_the_citizens_own_words_with_next_steps(me, citizen, worker):
    builders.plan(citizen, worker, version=1, goal_words="Gammelt mål om en campingvogn")
    builders.plan(citizen, worker, version=2, goal_words="Jeg vil have min egen lejlighed",
                  action_what="Ringe til boligforeningen", action_who="Mette og Anna")
    page = text(me.get("/me/plan"))
    assert "Jeg vil have min egen lejlighed" in page
    assert "Ringe til boligforeningen" in page and "Mette og Anna" in page
    assert "Bolig" in page
    assert "campingvogn" not in page
    assert 'class="portal large-type"' in page


def test_plan_puts_the_citizens_wishes_first(me, citizen, worker):
    citizen.wishes = "At se mine børn hver uge"
    db.session.commit()
    builders.plan(citizen, worker)
    page = text(me.get("/me/plan"))
    assert page.index("At se mine børn hver uge") < page.index("Jeg vil have min egen lejlighed")


def test_plan_without_a_plan_says_so_kindly(me):
    assert "Du har ikke en plan endnu" in text(me.get("/me/plan"))


def test_appointments_show_upcoming_ones_with_place_meeting_point_and_accompaniment(me, citizen, worker):
    builders.appointment(citizen, worker, title="Lægen", accompanied=True, meeting_point="Ved bussen")
    builders.appointment(citizen, worker, title="Aflyst møde", cancelled=True)
    builders.appointment(citizen, worker, title="Gammelt møde", starts_in=-timedelta(days=2))
    page = text(me.get("/me/appointments"))
    assert "Lægen" in page and "Ved bussen" in page and "Jobcenter Søby, Torvet 1" in page
    assert "Din medarbejder tager med" in page
    assert "Aflyst møde" not in page and "Gammelt møde" not in page


def test_an_appointment_downloads_as_ics_with_citizen_fields_only(me, citizen, worker):
    appointment = builders.appointment(citizen, worker, title="Banken", note="internt: husk gæld")
    response = me.get(f"/me/appointments/{appointment.id}.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    body = text(response).replace("\r\n ", "")
    assert "SUMMARY:Banken" in body and "Ved hovedindgangen" in body
    assert "husk gæld" not in body


def test_answering_i_am_coming_records_the_answer(me, citizen, worker, monkeypatch):
    appointment = builders.appointment(citizen, worker)
    calls = []
    import server.appointments.operations as appointment_operations

    def fake(appointment_, answer, citizen_):
        calls.append((appointment_.id, answer, citizen_.id))

    monkeypatch.setattr(appointment_operations, "record_citizen_answer", fake, raising=False)
    response = me.post(f"/me/appointments/{appointment.id}/answer", data={"answer": "coming"})
    assert response.status_code == 302
    assert calls == [(appointment.id, "coming", citizen.id)]


def test_a_bad_answer_is_422_with_a_message_and_nothing_recorded(me, citizen, worker, monkeypatch):
    appointment = builders.appointment(citizen, worker)
    import server.appointments.operations as appointment_operations

    monkeypatch.setattr(appointment_operations, "record_citizen_answer",
                        lambda *a: (_ for _ in ()).throw(AssertionError("must not be called")), raising=False)
    response = me.post(f"/me/appointments/{appointment.id}/answer", data={"answer": "maybe"})
    assert response.status_code == 422
    assert "Vælg et svar" in text(response)


def test_a_cancelled_appointment_cannot_be_answered(me, citizen, worker):
    appointment = builders.appointment(citizen, worker, cancelled=True)
    response = me.post(f"/me/appointments/{appointment.id}/answer", data={"answer": "coming"})
    assert response.status_code == 422
    assert "aflyst eller overstået" in text(response)


def test_i_cannot_come_reaches_the_worker_as_a_reminder(me, citizen, worker):
    appointment = builders.appointment(citizen, worker)
    assert me.post(f"/me/appointments/{appointment.id}/answer", data={"answer": "cannot_come"}).status_code == 302
    db.session.expire_all()
    assert appointment.citizen_answer == "cannot_come"
    reminders = db.session.scalars(select(Reminder).where(Reminder.citizen_id == citizen.id)).all()
    assert [(r.owner_id, r.source) for r in reminders] == [(worker.id, ReminderSource.CITIZEN_ANSWER)]
    assert "Du har svaret: Jeg kan ikke komme" in text(me.get("/me/appointments"))


def test_the_worker_page_shows_name_phone_email_and_only_shared_contacts(me, citizen, worker):
    builders.contact(citizen, worker, shared=True, note="Vi talte om din husleje")
    builders.contact(citizen, worker, shared=False, note="Internt: bekymret")
    page = text(me.get("/me/worker"))
    assert "Mette Medarbejder" in page and "+45 20 30 40 50" in page and "mette@soby.dk" in page
    assert "Vi talte om din husleje" in page
    assert "bekymret" not in page


def test_asking_for_contact_makes_a_reminder_for_the_worker_and_confirms(me, citizen, worker):
    response = me.post("/me/contact-request", follow_redirects=True)
    assert response.status_code == 200
    assert "Din medarbejder har fået besked" in text(response)
    reminders = db.session.scalars(select(Reminder).where(Reminder.citizen_id == citizen.id)).all()
    assert [(r.owner_id, r.source) for r in reminders] == [(worker.id, ReminderSource.CITIZEN_REQUEST)]


def test_wishes_are_saved_in_the_citizens_words(me, citizen):
    response = me.post("/me/wishes", data={"wishes": "En hund og en have"}, follow_redirects=True)
    assert "Dine ønsker er gemt" in text(response)
    db.session.expire_all()
    assert citizen.wishes == "En hund og en have"
    assert citizen.wishes_updated_at is not None
    assert "En hund og en have" in text(me.get("/me/wishes"))


def test_too_long_wishes_are_refused_with_422_and_a_message_and_nothing_saved(me, citizen):
    response = me.post("/me/wishes", data={"wishes": "x" * 4001})
    assert response.status_code == 422
    assert "Skriv højst 4000 tegn" in text(response)
    db.session.expire_all()
    assert citizen.wishes is None


def test_the_calendar_link_can_be_made_used_and_revoked(me, citizen, worker, client):
    builders.appointment(citizen, worker, title="Psykiatrien")
    assert "Lav et kalender-link" in text(me.get("/me/calendar"))
    me.post("/me/calendar/create")
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.citizen_id == citizen.id))
    assert feed.token in text(me.get("/me/calendar"))
    response = client.get(f"/calendar/{feed.token}.ics")  # the calendar app: no log-in
    assert response.status_code == 200
    assert "Psykiatrien" in text(response)
    me.post("/me/calendar/revoke")
    assert client.get(f"/calendar/{feed.token}.ics").status_code == 404


def test_a_new_calendar_link_retires_the_old_one(me, citizen, client):
    me.post("/me/calendar/create")
    old = db.session.scalar(select(CalendarFeed.token).where(CalendarFeed.citizen_id == citizen.id))
    me.post("/me/calendar/create")
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    live = db.session.scalars(select(CalendarFeed).where(CalendarFeed.citizen_id == citizen.id,
                                                          CalendarFeed.revoked_at.is_(None))).all()
    assert len(live) == 1
    assert client.get(f"/calendar/{live[0].token}.ics").status_code == 200


def test_the_feed_is_audited_as_a_read_of_the_citizen(me, citizen, client):
    me.post("/me/calendar/create")
    token = db.session.scalar(select(CalendarFeed.token).where(CalendarFeed.citizen_id == citizen.id))
    client.get(f"/calendar/{token}.ics")
    rows = db.session.scalars(select(AuditEvent).where(AuditEvent.subject == "calendar-feed")).all()
    assert [(r.action, r.citizen_id) for r in rows] == [("read", citizen.id)]
    assert "Din kalender (via dit kalender-link)" in text(me.get("/me/access-log"))


def test_an_unknown_feed_token_is_404_and_logged_as_denied(client, ctx):
    assert client.get("/calendar/not-a-real-token.ics").status_code == 404
    assert db.session.scalar(select(AuditEvent.outcome).where(AuditEvent.subject == "calendar-feed")) == "denied"


def test_odd_json_bodies_are_refused_or_saved_as_text_never_500(me, citizen, worker):
    appointment = builders.appointment(citizen, worker)
    for payload in ({"wishes": 1.5}, {"wishes": ["a", "b"]}, {"wishes": None}, {"wishes": {"x": 1}}):
        # 400 where the app refuses JSON for form routes altogether, else validated as text.
        assert me.post("/me/wishes", json=payload).status_code in (302, 400, 422), payload
    for payload in ({"answer": 3}, {"answer": ["maybe"]}, {"answer": None}, {}):
        assert me.post(f"/me/appointments/{appointment.id}/answer", json=payload).status_code in (400, 422), payload
    db.session.expire_all()
    assert appointment.citizen_answer is None


def test_the_feed_of_an_anonymised_course_is_gone(me, citizen, client):
    from server.citizens.models import CourseStatus

    me.post("/me/calendar/create")
    token = db.session.scalar(select(CalendarFeed.token).where(CalendarFeed.citizen_id == citizen.id))
    citizen.status = CourseStatus.ANONYMISED
    db.session.commit()
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_control_characters_in_wishes_are_refused_with_a_message(me, citizen):
    for bad in ("hej\x00med dig", "hej\x01med dig"):
        response = me.post("/me/wishes", data={"wishes": bad})
        assert response.status_code in (400, 422), repr(bad)  # 400: the app-wide NUL guard
        assert "ikke kan gemmes" in text(response)
    db.session.expire_all()
    assert citizen.wishes is None
    assert me.post("/me/wishes", data={"wishes": "linje 1\r\nlinje 2\ttab"}).status_code == 302


def test_malformed_feed_tokens_are_404(client, ctx):
    for token in ("%00", "a" * 200, "not a token", "ÆØÅæøåÆØÅæøåÆØÅæøå"):
        assert client.get(f"/calendar/{token}.ics").status_code == 404, token


def test_json_bodies_that_are_not_objects_are_422(me, citizen, worker):
    appointment = builders.appointment(citizen, worker)
    for body in ('"text"', "[1, 2]", "3", "null"):
        headers = {"Content-Type": "application/json"}
        assert me.post("/me/wishes", data=body, headers=headers).status_code in (400, 422), body
        assert me.post(f"/me/appointments/{appointment.id}/answer", data=body, headers=headers).status_code in (400, 422)
    db.session.expire_all()
    assert citizen.wishes is None and appointment.citizen_answer is None


def test_an_empty_wishes_box_clears_the_wishes(me, citizen):
    citizen.wishes = "Gammelt ønske"
    db.session.commit()
    assert me.post("/me/wishes", data={"wishes": ""}).status_code == 302
    db.session.expire_all()
    assert citizen.wishes is None


def test_an_oversized_body_is_413_and_changes_nothing(me, citizen):
    from server.appointments.models import CalendarFeed as Feed

    response = me.post("/me/calendar/create", data={"x": "y" * (300 * 1024)})
    assert response.status_code == 413
    assert db.session.scalar(select(Feed).where(Feed.citizen_id == citizen.id)) is None
