"""No secrets in logs (SECURITY.md #22): with every logger at DEBUG, a scenario that logs in,
records a CPR number, a contact note and wishes, asks for a passkey challenge, exports, and
provokes errors leaves 0 seeded canaries (CPR, note text, password, session cookie, WebAuthn
challenge) in the log output.
"""
import logging

import pytest

from tests.factories import PASSWORD
from tests.security.worlds import fresh_world

CPR = "241287-1357"


class Capture(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.lines = []

    def emit(self, record):
        try:
            self.lines.append(self.format(record))
        except Exception:  # a record that cannot format is still a record: keep its raw parts
            self.lines.append(f"{record.msg} {record.args}")


@pytest.fixture
def captured_logs(caplog):
    """Every log record of the app and its libraries at DEBUG, with tracebacks."""
    handler = Capture()
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    old_level = root.level
    root.setLevel(logging.DEBUG)
    root.addHandler(handler)
    caplog.set_level(logging.DEBUG)
    yield handler, caplog
    root.removeHandler(handler)
    root.setLevel(old_level)


def test_no_seeded_canary_reaches_the_logs(app, make, captured_logs):
    handler, caplog = captured_logs
    world = fresh_world()
    worker = world.users["own"]
    canaries = {"cpr": CPR, "cpr digits": CPR.replace("-", ""), "password": PASSWORD,
                "note": "KANARIENOTE-misbrug-og-angst", "wishes": "KANARIEØNSKE-egen-bolig"}

    client = app.test_client()
    response = client.post("/login/password", data={"username": worker.username, "password": PASSWORD})
    assert response.status_code in (302, 303)
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    canaries["session cookie"] = cookie.value
    client.post("/login/password", data={"username": worker.username, "password": PASSWORD + "x"})  # failed log-in

    response = client.post("/citizens/new", data={"first_name": "Kanarie", "last_name": "Fugl", "cpr": CPR,
                                                  "support_method": "icm", "started_on": "2026-01-05"})
    response = client.post(f"/citizens/{world.citizen.id}/contacts",
                           data={"type": "home_visit", "place": "home", "note": canaries["note"]})
    assert response.status_code < 400, response.status_code
    # Errors: validation (422), not found, a malformed body, a body of the wrong shape.
    client.post(f"/citizens/{world.citizen.id}/contacts", data={"type": "nope", "note": canaries["note"]})
    client.get("/citizens/999999")
    client.post(f"/citizens/{world.citizen.id}/contacts", data="{bad", content_type="application/json")
    client.post(f"/citizens/{world.citizen.id}/contacts", json={"note": canaries["note"], "type": {"x": CPR}})

    anonymous = app.test_client()
    options = anonymous.post("/login/passkey/options").get_json()
    canaries["webauthn challenge"] = options["challenge"]
    anonymous.post("/login/passkey/verify", json={"id": "x", "response": {"clientDataJSON": options["challenge"]}})

    citizen_client = app.test_client()
    from tests.conftest import login

    login(citizen_client, world.users["citizen"])
    citizen_client.post("/me/wishes", data={"wishes": canaries["wishes"]})
    citizen_client.get("/me/export.json")
    citizen_client.get("/me/export")
    # An unhandled error logs its traceback: it must not carry the request's data either.
    anonymous.post("/enrol/options", json={"code": {"cpr": CPR}})
    logging.getLogger("server.selftest").debug("capture works")

    text = "\n".join(handler.lines + [r.getMessage() for r in caplog.records]
                     + [str(r.exc_text or "") for r in caplog.records])
    assert "capture works" in text
    found = sorted(name for name, value in canaries.items() if value and value in text)
    print(f"logs: {len(handler.lines)} log records at DEBUG, {len(found)} of {len(canaries)} canaries found "
          f"{found}")
    assert found == []
