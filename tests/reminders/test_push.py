"""Web push: subscriptions, VAPID keys, and the sender against a fake push service."""
import json
from datetime import timedelta

import pytest
from py_vapid import Vapid02
from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite

from server.appointments.models import Appointment
from server.db import utcnow
from server.extensions import db
from server.reminders import push, queries
from server.reminders.models import PushSubscription, Reminder
from tests.reminders.fake_push import FakePushService, browser_keys


@pytest.fixture
def vapid(app):
    keys = push.generate_vapid_keys()
    saved = {k: app.config.get(k) for k in ("VAPID_PRIVATE_KEY", "VAPID_PUBLIC_KEY", "VAPID_SUBJECT")}
    app.config.update(VAPID_PRIVATE_KEY=keys["private_key"], VAPID_PUBLIC_KEY=keys["public_key"],
                      VAPID_SUBJECT="mailto:drift@soeby.dk")
    yield keys
    app.config.update(saved)


@pytest.fixture
def fake_push():
    with FakePushService() as service:
        yield service


def subscribe(user, endpoint):
    subscription = PushSubscription(user_id=user.id, endpoint=endpoint, **browser_keys())
    db.session.add(subscription)
    db.session.commit()
    return subscription


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


# --- Subscribing ------------------------------------------------------------

def test_a_logged_in_user_subscribes_a_phone(make, login_as):
    worker = make.worker(team=make.team())
    body = {"endpoint": "https://fcm.googleapis.com/fcm/send/abc", "keys": browser_keys()}
    response = login_as(worker).post("/push/subscribe", json=body)
    assert response.status_code == 201
    stored = db.session.scalar(select(PushSubscription))
    assert stored.user_id == worker.id and stored.endpoint == body["endpoint"]


def test_subscribing_the_same_endpoint_again_moves_it_to_the_new_user(make, login_as):
    team = make.team()
    first, second = make.worker(team=team), make.worker(team=team)
    body = {"endpoint": "https://updates.push.services.mozilla.com/wpush/v2/abc", "keys": browser_keys()}
    login_as(first).post("/push/subscribe", json=body)
    login_as(second).post("/push/subscribe", json=body)
    assert count(PushSubscription) == 1
    assert db.session.scalar(select(PushSubscription.user_id)) == second.id


def test_logging_out_ends_the_phones_subscription_made_in_that_log_in_only(make, login_as):
    """A shared phone: after log-out the next person must not get this user's reminders."""
    worker = make.worker(team=make.team())
    phone, tablet = login_as(worker), login_as(worker)
    for client, name in ((phone, "phone"), (tablet, "tablet")):
        body = {"endpoint": f"https://fcm.googleapis.com/fcm/send/{name}", "keys": browser_keys()}
        assert client.post("/push/subscribe", json=body).status_code == 201
    assert count(PushSubscription) == 2
    phone.post("/logout")
    db.session.expire_all()
    assert db.session.scalars(select(PushSubscription.endpoint)).all() == ["https://fcm.googleapis.com/fcm/send/tablet"]


def test_a_phone_subscribed_again_after_a_new_log_in_belongs_to_that_log_in(make, login_as):
    worker = make.worker(team=make.team())
    body = {"endpoint": "https://fcm.googleapis.com/fcm/send/shared", "keys": browser_keys()}
    first = login_as(worker)
    first.post("/push/subscribe", json=body)
    second = login_as(worker)
    second.post("/push/subscribe", json=body)  # the reminders page hands the phone's subscription on
    first.post("/logout")
    db.session.expire_all()
    assert count(PushSubscription) == 1
    second.post("/logout")
    db.session.expire_all()
    assert count(PushSubscription) == 0


@pytest.mark.parametrize("end", ["deactivate", "reset_passkeys"])
def test_deactivation_or_a_passkey_reset_ends_every_subscription_of_the_user(make, login_as, end):
    from server.admin import operations

    team = make.team()
    worker, colleague = make.worker(team=team), make.worker(team=team)
    subscribe(worker, "https://fcm.googleapis.com/fcm/send/lost-phone")
    subscribe(colleague, "https://fcm.googleapis.com/fcm/send/colleague")
    if end == "deactivate":
        data = {name: getattr(worker, name) for name in operations.USER_FIELDS}
        operations.save_user(worker, dict(data, active=False), None)
    else:
        operations.reset_passkeys(worker)
    db.session.commit()
    assert db.session.scalars(select(PushSubscription.user_id)).all() == [colleague.id]


@pytest.mark.parametrize("body", [
    {"endpoint": "http://fcm.googleapis.com/fcm/send/abc", "keys": {"p256dh": "x", "auth": "y"}},
    {"endpoint": "https://intranet.soeby.dk/admin", "keys": {"p256dh": "x", "auth": "y"}},
    {"endpoint": "https://fcm.googleapis.com.evil.example/x", "keys": {"p256dh": "x", "auth": "y"}},
    {"endpoint": "https://fcm.googleapis.com:99999/x", "keys": {"p256dh": "x", "auth": "y"}},
    {"endpoint": "ftp://push.example/abc", "keys": {"p256dh": "x", "auth": "y"}},
    {"endpoint": "https://user:pw@fcm.googleapis.com/abc", "keys": {"p256dh": "x", "auth": "y"}},
    {"endpoint": "https://updates.push.services.mozilla.com/wpush/v2/abc"},
    {"endpoint": 12, "keys": {"p256dh": "x", "auth": "y"}},
    {"endpoint": "https://fcm.googleapis.com/" + "a" * 2000, "keys": {"p256dh": "x", "auth": "y"}},
    ["not", "an", "object"],
])
def test_a_bad_subscription_is_refused_with_4xx(make, login_as, body):
    worker = make.worker(team=make.team())
    response = login_as(worker).post("/push/subscribe", json=body)
    assert 400 <= response.status_code < 500
    assert count(PushSubscription) == 0


def test_localhost_endpoints_are_allowed_only_outside_production():
    assert push.endpoint_allowed("http://localhost:8123/push/x", production=False)
    assert not push.endpoint_allowed("http://localhost:8123/push/x", production=True)
    assert push.endpoint_allowed("https://web.push.apple.com/abc", production=True)
    assert not push.endpoint_allowed("https://169.254.169.254/latest/meta-data", production=True)


def test_subscribing_needs_a_login(client):
    response = client.post("/push/subscribe", json={"endpoint": "https://push.example/a", "keys": browser_keys()},
                           headers={"Accept": "application/json"})
    assert response.status_code == 401


def test_the_public_key_is_served_to_logged_in_users(make, login_as, vapid):
    worker = make.worker(team=make.team())
    assert login_as(worker).get("/push/key").json == {"public_key": vapid["public_key"]}


# --- VAPID keys -------------------------------------------------------------

def test_vapid_keys_made_by_the_command_are_read_from_the_instance_folder(tmp_path):
    from flask import Flask

    app = Flask("vapid-test", instance_path=str(tmp_path))
    app.config.update(VAPID_PRIVATE_KEY=None, VAPID_PUBLIC_KEY=None)
    assert push.load_vapid(app) is False
    keys = push.generate_vapid_keys()
    path = push.write_vapid_file(app, keys)
    assert oct((tmp_path / "vapid.json").stat().st_mode & 0o777) == "0o600" and path.endswith("vapid.json")
    assert push.load_vapid(app) is True
    assert app.config["VAPID_PUBLIC_KEY"] == keys["public_key"]
    # The pair signs and verifies as a VAPID key (what pywebpush and the browser use).
    signer = Vapid02.from_string(keys["private_key"])
    headers = signer.sign({"sub": "mailto:drift@soeby.dk", "aud": "https://push.example", "exp": 9999999999})
    assert Vapid02.verify(headers["Authorization"])
    assert headers["Authorization"].endswith("k=" + keys["public_key"])


def test_the_vapid_keys_command_writes_the_file_once(app, tmp_path, monkeypatch):
    from server.reminders import commands

    if "vapid-keys" not in app.cli.commands:
        commands.init_app(app)
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    monkeypatch.setitem(app.config, "VAPID_PRIVATE_KEY", None)
    monkeypatch.setitem(app.config, "VAPID_PUBLIC_KEY", None)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["vapid-keys"])
    assert result.exit_code == 0, result.output
    written = json.loads((tmp_path / "vapid.json").read_text())
    assert written["public_key"] in result.output and "private" not in result.output.lower().replace("vapid", "")
    again = runner.invoke(args=["vapid-keys"])
    assert "already" in again.output
    assert json.loads((tmp_path / "vapid.json").read_text()) == written


# --- Sending ----------------------------------------------------------------

def test_a_due_reminder_is_pushed_once_with_vapid_and_aes128gcm(make, vapid, fake_push):
    worker = make.worker(team=make.team())
    subscribe(worker, fake_push.endpoint("worker-phone"))
    reminder = make.reminder(worker, text="HEMMELIG-NOTE om medicin", due_at=utcnow() - timedelta(minutes=1))
    make.reminder(worker, text="Senere", due_at=utcnow() + timedelta(hours=2))

    assert push.send_due_reminders() == 1
    assert len(fake_push.requests) == 1
    request = fake_push.requests[0]
    authorization = request["headers"]["authorization"]
    assert authorization.startswith("vapid t=") and authorization.endswith("k=" + vapid["public_key"])
    assert Vapid02.verify(authorization)
    assert request["headers"]["content-encoding"] == "aes128gcm"
    assert int(request["headers"]["ttl"]) > 0
    assert b"HEMMELIG-NOTE" not in request["body"]  # encrypted, and the note is never in it anyway
    db.session.expire_all()
    assert db.session.get(Reminder, reminder.id).pushed_at is not None

    # The next run finds nothing more to push.
    assert push.send_due_reminders() == 0
    assert len(fake_push.requests) == 1


def test_the_payload_is_a_short_text_without_the_note(make, vapid, monkeypatch, app):
    sent = []
    monkeypatch.setattr(push, "send_to_user", lambda user_id, body, url: sent.append((user_id, body, url)) or 1)
    worker = make.worker(team=make.team())
    make.reminder(worker, text="HEMMELIG-NOTE om medicin", due_at=utcnow() - timedelta(minutes=1))
    push.send_due_reminders()
    assert sent == [(worker.id, "Du har en påmindelse i Ledsager", "/reminders")]


def test_a_gone_subscription_410_is_deleted_and_the_reminder_still_marked(make, vapid, fake_push):
    worker = make.worker(team=make.team())
    subscribe(worker, fake_push.endpoint("old-phone", status=410))
    subscribe(worker, fake_push.endpoint("new-phone", status=201))
    reminder = make.reminder(worker, due_at=utcnow() - timedelta(minutes=1))
    push.send_due_reminders()
    assert len(fake_push.requests) == 2
    endpoints = db.session.scalars(select(PushSubscription.endpoint)).all()
    assert [e.rsplit("/", 1)[1] for e in endpoints] == ["new-phone"]
    db.session.expire_all()
    assert db.session.get(Reminder, reminder.id).pushed_at is not None


def test_a_server_error_from_the_push_service_keeps_the_subscription(make, vapid, fake_push):
    worker = make.worker(team=make.team())
    subscribe(worker, fake_push.endpoint("flaky", status=500))
    make.reminder(worker, due_at=utcnow() - timedelta(minutes=1))
    push.send_due_reminders()
    assert count(PushSubscription) == 1


def test_a_disabled_user_gets_no_pushes(make, vapid, fake_push):
    worker = make.worker(team=make.team(), active=False)
    subscribe(worker, fake_push.endpoint("phone"))
    make.reminder(worker, due_at=utcnow() - timedelta(minutes=1))
    assert push.send_due_reminders() == 1
    assert fake_push.requests == []


def test_done_and_stale_reminders_are_not_pushed(make, vapid, fake_push):
    worker = make.worker(team=make.team())
    subscribe(worker, fake_push.endpoint("phone"))
    make.reminder(worker, due_at=utcnow() - timedelta(minutes=5), done_at=utcnow())
    stale = make.reminder(worker, due_at=utcnow() - timedelta(days=3))
    push.send_due_reminders()
    assert fake_push.requests == []
    db.session.expire_all()
    assert db.session.get(Reminder, stale.id).pushed_at is not None


def test_citizen_gets_one_push_for_an_appointment_within_24_hours(make, vapid, fake_push, monkeypatch):
    worker = make.worker(team=make.team())
    citizen = make.citizen(worker=worker, with_login=True)
    subscribe(citizen.user, fake_push.endpoint("citizen-phone"))
    soon = make.appointment(citizen, worker, starts_at=utcnow() + timedelta(hours=20))
    later = make.appointment(citizen, worker, starts_at=utcnow() + timedelta(days=3))
    cancelled = make.appointment(citizen, worker, starts_at=utcnow() + timedelta(hours=5), cancelled=True)

    assert push.send_appointment_reminders() == 1
    assert push.send_appointment_reminders() == 0
    assert len(fake_push.requests) == 1
    db.session.expire_all()
    assert db.session.get(Appointment, soon.id).reminder_sent_at is not None
    assert db.session.get(Appointment, later.id).reminder_sent_at is None
    assert db.session.get(Appointment, cancelled.id).reminder_sent_at is None


def test_appointment_text_says_today_or_tomorrow_in_copenhagen_time():
    from datetime import UTC, datetime

    now = datetime(2026, 11, 22, 19, 0, tzinfo=UTC)  # 20:00 in Copenhagen
    assert push.appointment_text(datetime(2026, 11, 23, 9, 0, tzinfo=UTC), now) == "Du har en aftale i morgen kl. 10:00"
    assert push.appointment_text(datetime(2026, 11, 22, 21, 30, tzinfo=UTC), now) == "Du har en aftale i dag kl. 22:30"


def test_the_send_reminders_command_runs_both_senders(app, make, monkeypatch):
    from server.reminders import commands

    if "send-reminders" not in app.cli.commands:
        commands.init_app(app)
    monkeypatch.setattr(push, "send_all", lambda now=None: (3, 2))
    result = app.test_cli_runner().invoke(args=["send-reminders"])
    assert result.exit_code == 0 and "3" in result.output and "2" in result.output


# --- Several instances at once ----------------------------------------------

def test_the_due_query_locks_with_skip_locked_on_postgresql_and_compiles_on_sqlite():
    statement = queries.reminders_to_push(utcnow(), 50)
    assert "FOR UPDATE SKIP LOCKED" in str(statement.compile(dialect=postgresql.dialect()))
    assert "FOR UPDATE" not in str(statement.compile(dialect=sqlite.dialect()))
    appointments = queries.appointments_to_remind(utcnow(), utcnow(), 50)
    assert "FOR UPDATE OF appointments SKIP LOCKED" in str(appointments.compile(dialect=postgresql.dialect()))


def test_a_second_sender_skips_reminders_another_sender_holds(app, make):
    """On PostgreSQL: while one transaction holds the due reminder, another sees nothing."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SKIP LOCKED needs PostgreSQL (set TEST_DATABASE_URL)")
    from sqlalchemy.orm import Session

    worker = make.worker(team=make.team())
    make.reminder(worker, due_at=utcnow() - timedelta(minutes=1))
    with Session(db.engine) as first, Session(db.engine) as second:
        held = first.scalars(queries.reminders_to_push(utcnow(), 50)).all()
        skipped = second.scalars(queries.reminders_to_push(utcnow(), 50)).all()
        assert (len(held), len(skipped)) == (1, 0)
        first.rollback()
        assert len(second.scalars(queries.reminders_to_push(utcnow(), 50)).all()) == 1


def test_a_user_unsubscribes_only_their_own_phone(make, login_as):
    team = make.team()
    worker, other = make.worker(team=team), make.worker(team=team)
    mine = subscribe(worker, "https://fcm.googleapis.com/fcm/send/mine")
    subscribe(other, "https://fcm.googleapis.com/fcm/send/theirs")
    client = login_as(worker)
    assert client.post("/push/unsubscribe", json={"endpoint": "https://fcm.googleapis.com/fcm/send/theirs"}).status_code == 200
    assert client.post("/push/unsubscribe", json={"endpoint": mine.endpoint}).status_code == 200
    assert db.session.scalars(select(PushSubscription.endpoint)).all() == ["https://fcm.googleapis.com/fcm/send/theirs"]
    assert client.post("/push/unsubscribe", json=["x"]).status_code == 400
