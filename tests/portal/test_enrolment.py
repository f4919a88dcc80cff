"""A citizen reaches their own pages through a one-time code from their worker; a lost phone
is shut out when the worker revokes the passkeys."""
import re
from datetime import timedelta

from freezegun import freeze_time

from server.db import utcnow
from server.portal.qr import qr_svg
from tests.soft_authenticator import SoftAuthenticator

# A code standing alone: the same letters inside the page's CSRF token (base64) once matched first.
CODE = re.compile(r"(?<![A-Za-z0-9_.-])[A-Z2-9]{4}-[A-Z2-9]{4}(?![A-Za-z0-9_.-])")


def issue_code(login_as, worker, citizen):
    response = login_as(worker).post(f"/citizens/{citizen.id}/enrolment-code")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    return re.search(CODE, page).group(0), page


def enrol(client, code):
    options = client.post("/enrol/options", json={"code": code})
    if options.status_code != 200:
        return options
    return client.post("/enrol/verify", json=SoftAuthenticator().create(options.get_json()))


def test_the_issued_code_page_has_a_qr_code_that_opens_enrolment_with_the_code(make, login_as, app):
    worker = make.worker(team=make.team())
    citizen = make.citizen(worker=worker)
    code, page = issue_code(login_as, worker, citizen)
    svg = re.search(r"<svg.*?</svg>", page, re.S).group(0)
    assert 'role="img"' in svg and code in svg  # the label names the code
    assert "style=" not in svg and "<script" not in svg
    with app.test_request_context():
        expected = qr_svg(f"http://localhost/enrol?code={code}")
    assert re.search(r' d="([^"]+)"', svg).group(1) == re.search(r' d="([^"]+)"', str(expected)).group(1)


def test_an_enrolled_citizen_lands_on_their_plan_and_reaches_their_pages(make, login_as, client):
    worker = make.worker(team=make.team())
    citizen = make.citizen(worker=worker)
    code, _ = issue_code(login_as, worker, citizen)
    response = enrol(client, code)
    assert response.get_json()["redirect"] == "/me/plan"
    assert client.get("/me/plan").status_code == 200
    assert client.get("/me/access-log").status_code == 200


def test_the_code_works_once_so_a_second_phone_gets_no_access(make, login_as, client, app):
    worker = make.worker(team=make.team())
    citizen = make.citizen(worker=worker)
    code, _ = issue_code(login_as, worker, citizen)
    assert enrol(client, code).status_code == 200
    other_phone = app.test_client()
    assert enrol(other_phone, code).status_code == 400
    assert other_phone.get("/me/plan").status_code == 302


def test_the_code_expires_after_ten_minutes(make, login_as, client):
    worker = make.worker(team=make.team())
    citizen = make.citizen(worker=worker)
    code, _ = issue_code(login_as, worker, citizen)
    with freeze_time(utcnow() + timedelta(minutes=9, seconds=50)):
        assert client.post("/enrol/options", json={"code": code}).status_code == 200
    with freeze_time(utcnow() + timedelta(minutes=10, seconds=5)):
        assert enrol(client, code).status_code == 400
        assert client.get("/me/plan").status_code == 302


def test_revoking_the_passkeys_ends_the_citizens_session_on_the_next_request(make, login_as, client):
    worker = make.worker(team=make.team())
    citizen = make.citizen(worker=worker)
    code, _ = issue_code(login_as, worker, citizen)
    enrol(client, code)
    assert client.get("/me/plan").status_code == 200
    login_as(worker).post(f"/citizens/{citizen.id}/passkeys/revoke")
    response = client.get("/me/plan")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    # A new code lets the citizen back in on a new phone.
    code, _ = issue_code(login_as, worker, citizen)
    assert enrol(client, code).status_code == 200
    assert client.get("/me/plan").status_code == 200
