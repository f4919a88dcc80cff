"""The benchmark data generator builds PERFORMANCE.md's `small` data set, exactly and repeatably.

It runs into its own database (a temporary SQLite file, or `bench_test` next to the PostgreSQL
test database), never into the tables the test fixtures manage.
"""
import json
import os

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from benchmarks import generate

# PERFORMANCE.md, "Data sets"
SMALL = {"workers": 5, "citizens": 40, "contacts": 6_000, "reminders": 1_000, "appointments": 800}


def bench_database_url(tmp_path) -> str:
    test_url = os.environ.get("TEST_DATABASE_URL")
    if not test_url or not test_url.startswith("postgresql"):
        return f"sqlite:///{tmp_path}/bench.sqlite"
    url = make_url(test_url)
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("DROP DATABASE IF EXISTS bench_test WITH (FORCE)"))
        connection.execute(text("CREATE DATABASE bench_test"))
    admin.dispose()
    return url.set(database="bench_test").render_as_string(hide_password=False)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """Generate `small` once for the module; yields (engine, result)."""
    folder = tmp_path_factory.mktemp("bench")
    url = bench_database_url(folder)
    result = generate.generate("small", url, seed=7, quiet=True, users_path=str(folder / "small-users.json"))
    engine = create_engine(url)
    yield engine, result, url
    engine.dispose()


def scalar(engine, sql: str):
    with engine.connect() as connection:
        return connection.execute(text(sql)).scalar()


def test_small_has_exactly_the_counts_of_the_performance_table(small):
    engine, result, _ = small

    assert scalar(engine, "SELECT count(*) FROM users WHERE role = 'worker'") == SMALL["workers"]
    for table in ("citizens", "contacts", "reminders", "appointments"):
        assert scalar(engine, f"SELECT count(*) FROM {table}") == SMALL[table], table
    assert result["rows"]["contacts"] == SMALL["contacts"]


def test_small_has_a_supervisor_per_team_and_the_surrounding_entities(small):
    engine, _, _ = small

    teams = scalar(engine, "SELECT count(*) FROM teams")
    assert teams == 1
    assert scalar(engine, "SELECT count(*) FROM users WHERE role = 'supervisor'") == teams
    # Exactly one open assignment per citizen, and at most eight citizens per worker.
    assert scalar(engine, "SELECT count(*) FROM assignments WHERE ends_at IS NULL") == SMALL["citizens"]
    assert scalar(engine, "SELECT max(n) FROM (SELECT count(*) AS n FROM assignments WHERE ends_at IS NULL "
                          "GROUP BY worker_id) AS caseloads") <= 8
    for table in ("housing_events", "housing_plans", "plans", "plan_goals", "plan_actions", "assessments",
                  "contact_dimensions", "network_persons", "citizen_offers", "team_meetings", "agenda_items",
                  "supervision_sessions"):
        assert scalar(engine, f"SELECT count(*) FROM {table}") > 0, table
    assert scalar(engine, "SELECT count(*) FROM dimensions") == 8


def test_contacts_rise_around_moving_in(small):
    engine, _, _ = small
    # Contacts per day in the 4 weeks around each citizen's (first) move into a home,
    # against the same citizen's average over their whole span.
    with engine.connect() as connection:
        moves = connection.execute(text(
            "SELECT citizen_id, min(starts_on) FROM housing_events WHERE housed = :t AND evicted = :f "
            "GROUP BY citizen_id"), {"t": True, "f": False}).all()
        contacts = connection.execute(text("SELECT citizen_id, occurred_at FROM contacts")).all()
    from datetime import date, datetime

    def as_date(value):
        return value.date() if isinstance(value, datetime) else date.fromisoformat(str(value)[:10])

    by_citizen: dict[int, list] = {}
    for citizen_id, occurred in contacts:
        by_citizen.setdefault(citizen_id, []).append(as_date(occurred))
    near = far = near_days = far_days = 0
    for citizen_id, moved in moves:
        moved = as_date(moved)
        days = by_citizen.get(citizen_id, [])
        if not days:
            continue
        span = (max(days) - min(days)).days + 1
        close = sum(1 for d in days if abs((d - moved).days) <= 14)
        near, near_days = near + close, near_days + 29
        far, far_days = far + len(days) - close, far_days + max(span - 29, 1)
    assert near_days and far_days
    assert near / near_days > 1.5 * (far / far_days)


def test_today_has_appointments_and_due_reminders_for_the_load_test(small):
    engine, _, _ = small
    from datetime import UTC, datetime, timedelta

    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    with engine.connect() as connection:
        starts = [s for (s,) in connection.execute(text("SELECT starts_at FROM appointments"))]
        due = [d for (d,) in connection.execute(text("SELECT due_at FROM reminders WHERE done_at IS NULL"))]

    def on_today(value) -> bool:
        value = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value
        return today <= value < today + timedelta(days=1)

    assert sum(map(on_today, starts)) >= SMALL["workers"]
    assert sum(map(on_today, due)) >= SMALL["workers"]


def test_users_file_lists_log_ins_that_exist(small):
    engine, result, _ = small
    with open(result["users_path"], encoding="utf-8") as f:
        users = json.load(f)

    assert users["password"] == generate.BENCH_PASSWORD
    assert len(users["workers"]) == SMALL["workers"] and users["supervisors"] and users["citizens"]
    worker = users["workers"][0]
    assert scalar(engine, f"SELECT role FROM users WHERE username = '{worker['username']}'") == "worker"
    assert len(worker["citizen_ids"]) == 8
    citizen = users["citizens"][0]
    assert scalar(engine, f"SELECT user_id FROM citizens WHERE id = {citizen['citizen_id']}") == citizen["id"]


def test_the_staff_password_hash_verifies(small):
    engine, _, _ = small
    from server.auth.passwords import check_password

    password_hash = scalar(engine, "SELECT password_hash FROM users WHERE username = 'medarbejder0001'")
    assert check_password(password_hash, generate.BENCH_PASSWORD)


def test_the_same_seed_gives_the_same_data(small, tmp_path):
    engine, _, _ = small
    other_url = f"sqlite:///{tmp_path}/again.sqlite"
    generate.generate("small", other_url, seed=7, quiet=True, users_path=str(tmp_path / "users.json"))
    other = create_engine(other_url)
    query = ("SELECT citizen_id, type, place, reached, note FROM contacts ORDER BY id LIMIT 200")
    with engine.connect() as a, other.connect() as b:
        assert [tuple(r) for r in a.execute(text(query))] == [tuple(r) for r in b.execute(text(query))]
    other.dispose()


def test_sequences_continue_after_the_generated_ids(small):
    """The app can insert after a generated data set (PostgreSQL sequences were moved on)."""
    engine, _, _ = small
    with engine.begin() as connection:
        before = connection.execute(text("SELECT max(id) FROM teams")).scalar()
        connection.execute(text("INSERT INTO teams (name, municipality, meeting_cadence_days, "
                                "supervision_cadence_days) VALUES ('x', 'y', 7, 42)"))
        assert connection.execute(text("SELECT max(id) FROM teams")).scalar() == before + 1
