"""Generated bad input on every form of plans, housing and offers: never a 5xx."""
from hypothesis import given, settings, strategies as st

from tests.plans.test_access import build_case, routes

junk = st.one_of(st.text(max_size=60), st.sampled_from(["", " ", "0", "-1", "99999999999", "2025-02-30",
                                                         "1e9", "<script>", "null", "x" * 5000]))
EXTRA_FIELDS = ["goals-1-citizen_words", "goals-1-dimension_id", "actions-0-due_on", "actions-0-who",
                "review_on", "add_goal", "evicted", "expected_move_in_on", "note", "base_version"]


def test_no_form_answers_with_a_server_error(make, login_as):
    team, owner, citizen, housing, link = build_case(make)
    client = login_as(owner)
    posts = [(endpoint, url, list(fields) + EXTRA_FIELDS)
             for method, endpoint, url, fields in routes(citizen, housing, link) if method == "POST"]

    @settings(max_examples=40, deadline=None)
    @given(data=st.data())
    def post_junk(data):
        for endpoint, url, names in posts:
            body = {name: data.draw(junk) for name in names if data.draw(st.booleans())}
            response = client.post(url, data=body)
            assert response.status_code < 500, (endpoint, body)

    post_junk()


def test_nul_bytes_and_out_of_range_ids_are_4xx_not_database_errors(make, login_as):
    team, owner, citizen, housing, link = build_case(make)
    client = login_as(owner)
    huge = "99999999999"
    responses = [
        client.post(f"/citizens/{citizen.id}/housing/plan", data={"interim_stay": "a\x00b"}),
        client.post(f"/citizens/{citizen.id}/plan/edit", data={"goals-0-citizen_words": "\x00"}),
        client.post(f"/citizens/{citizen.id}/assessment/{huge}", data={}),
        client.get(f"/citizens/{citizen.id}/plan/versions/{huge}"),
        client.get(f"/citizens/{huge}/plan"),
        client.post("/dimensions", data={"name": "Ny", "citizen_id": huge}),
        client.post(f"/citizens/{citizen.id}/offers", data={"offer_id": huge}),
    ]
    assert [r.status_code for r in responses] == [400, 400, 404, 404, 404, 404, 422]


def test_json_bodies_are_refused_with_400_on_these_form_routes(make, login_as):
    team, owner, citizen, housing, link = build_case(make)
    client = login_as(owner)
    for method, endpoint, url, fields in routes(citizen, housing, link):
        if method == "POST":
            for body in ('"text"', '{"note": {"a": 1}}', "[1, 2"):
                response = client.post(url, data=body, content_type="application/json")
                assert response.status_code == 400, endpoint
