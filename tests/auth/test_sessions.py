"""Session lifetime: idle timeouts per role, absolute limit, id rotated at log-in."""
from datetime import timedelta

from freezegun import freeze_time

from server.db import utcnow
from tests.factories import PASSWORD


def test_a_worker_idle_for_more_than_15_minutes_must_log_in_again(login_as, make):
    client = login_as(make.worker(team=make.team()))
    with freeze_time(utcnow() + timedelta(minutes=14)):
        assert client.get("/passkeys").status_code == 200
    with freeze_time(utcnow() + timedelta(minutes=14 + 16)):
        assert client.get("/passkeys").status_code == 302


def test_a_citizen_may_be_idle_for_30_minutes(login_as, make):
    client = login_as(make.citizen(with_login=True).user)
    with freeze_time(utcnow() + timedelta(minutes=25)):
        assert client.get("/passkeys").status_code == 200
    with freeze_time(utcnow() + timedelta(minutes=25 + 31)):
        assert client.get("/passkeys").status_code == 302


def test_no_session_outlives_12_hours_however_active(login_as, make):
    client = login_as(make.worker(team=make.team()))
    start = utcnow()
    for minutes in range(10, 12 * 60, 10):
        with freeze_time(start + timedelta(minutes=minutes)):
            assert client.get("/passkeys").status_code == 200, minutes
    with freeze_time(start + timedelta(hours=12, minutes=5)):
        assert client.get("/passkeys").status_code == 302


def test_the_session_id_is_rotated_at_log_in(client, make):
    worker = make.worker(team=make.team())
    with client.session_transaction() as session:
        session["sid"] = "planted-by-an-attacker"
    client.post("/login/password", data={"username": worker.username, "password": PASSWORD})
    with client.session_transaction() as session:
        assert session["sid"] != "planted-by-an-attacker"
