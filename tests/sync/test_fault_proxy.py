"""SECURITY.md #14 at CI size: 1,000 entries, each sent 1-5 times through a proxy that loses
requests and answers, while gunicorn workers are killed and the database goes away
(benchmarks/sync_faults.py; the benchmark size is 10,000). Runs on the suite's database kind:
SQLite, or a scratch database beside TEST_DATABASE_URL on PostgreSQL."""
import json
import os

from benchmarks.sync_faults import run


def test_a_thousand_entries_through_lost_answers_killed_workers_and_an_outage_are_stored_exactly_once():
    database = os.environ.get("TEST_DATABASE_URL") or None
    result = run(1000, database, seed=14)
    print("\nsync under faults: " + json.dumps({k: result[k] for k in (
        "entries", "database", "seconds", "sends", "answers", "proxy", "workers_killed", "database_outages",
        "stored", "edited_twins", "edited_twins_answered_409_and_kept", "unchanged_resends_answered_409",
        "unexpected_answers")}))
    stored = result["stored"]
    assert (stored["lost"], stored["duplicates"], stored["wrong_content"], stored["rows"]) == (0, 0, 0, 1000)
    assert result["edited_twins_answered_409_and_kept"] == result["edited_twins"] > 0
    assert result["unchanged_resends_answered_409"] == 0 and result["unexpected_answers"] == {}
    # The faults really happened: answers lost, a worker killed, the database away.
    assert result["proxy"].get("answers_dropped", 0) > 0 and result["proxy"].get("requests_dropped", 0) > 0
    assert result["workers_killed"] > 0 and result["database_outages"]
    assert result["answers"].get("503", 0) > 0 or result["answers"].get("no answer", 0) > 0
    assert result["passed"]
