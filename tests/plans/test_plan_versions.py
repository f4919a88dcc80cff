"""The plan is versioned: saving adds version n+1, never edits a version, and shows the changes."""
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from server.extensions import db
from server.plans.models import Action, Goal, Plan


def plan_form(goals, actions=(), **fields):
    """Form data as the edit page posts it."""
    data = {"base_version": str(fields.pop("base_version", 0))}
    for i, goal in enumerate(goals):
        for name, value in goal.items():
            data[f"goals-{i}-{name}"] = value
    for i, action in enumerate(actions):
        for name, value in action.items():
            data[f"actions-{i}-{name}"] = value
    data.update(fields)
    return data


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def setup_citizen(make):
    team = make.team()
    worker = make.worker(team=team)
    citizen = make.citizen(worker=worker)
    return worker, citizen


def test_first_save_creates_version_one_with_goals_and_actions(make, login_as):
    worker, citizen = setup_citizen(make)
    housing = make.dimension("housing")
    client = login_as(worker)

    response = client.post(f"/citizens/{citizen.id}/plan/edit", data=plan_form(
        [{"dimension_id": housing.id, "citizen_words": "Jeg vil have min egen lejlighed"}],
        [{"who": "Borgeren og Lise", "what": "Skrive op til almen bolig", "due_on": "2026-12-01"}],
        section_141_reference="HP-2026-117", caseworker_name="Anne Sagsbehandler",
        caseworker_contact="22 33 44 55"))

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/citizens/{citizen.id}/plan/versions/1")
    plan = db.session.scalar(select(Plan))
    assert plan.version == 1 and plan.author_id == worker.id
    assert [g.citizen_words for g in plan.goals] == ["Jeg vil have min egen lejlighed"]
    assert plan.actions[0].who == "Borgeren og Lise" and plan.actions[0].due_on.isoformat() == "2026-12-01"
    assert plan.section_141_reference == "HP-2026-117"
    page = client.get(f"/citizens/{citizen.id}/plan").get_data(as_text=True)
    assert "Jeg vil have min egen lejlighed" in page and "Anne Sagsbehandler" in page


def save_two_versions(make, login_as):
    worker, citizen = setup_citizen(make)
    housing, economy, health = make.dimension("housing"), make.dimension("economy"), make.dimension("physical_health")
    client = login_as(worker)
    client.post(f"/citizens/{citizen.id}/plan/edit", data=plan_form([
        {"dimension_id": housing.id, "citizen_words": "Jeg vil bo tæt på min søster"},
        {"dimension_id": economy.id, "citizen_words": "Jeg vil have styr på gælden"},
    ]))
    first = db.session.scalar(select(Plan).where(Plan.version == 1))
    keys = [g.key for g in first.goals]
    response = client.post(f"/citizens/{citizen.id}/plan/edit", data=plan_form([
        {"key": keys[0], "dimension_id": housing.id, "citizen_words": "Jeg vil bo tæt på min bror"},
        {"key": keys[1], "dimension_id": economy.id, "citizen_words": "Jeg vil have styr på gælden", "remove": "y"},
        {"dimension_id": health.id, "citizen_words": "Jeg vil til tandlæge"},
    ], base_version=1, change_note="Talt sammen på bænken"))
    return client, citizen, response


def test_saving_again_creates_version_two_and_leaves_version_one_untouched(make, login_as):
    client, citizen, response = save_two_versions(make, login_as)

    assert response.headers["Location"].endswith("/plan/versions/2")
    v1, v2 = db.session.scalars(select(Plan).order_by(Plan.version)).all()
    db.session.refresh(v1)
    assert [g.citizen_words for g in v1.goals] == ["Jeg vil bo tæt på min søster", "Jeg vil have styr på gælden"]
    assert [g.citizen_words for g in v2.goals] == ["Jeg vil bo tæt på min bror", "Jeg vil til tandlæge"]
    assert v2.change_note == "Talt sammen på bænken"
    assert v1.goals[0].key == v2.goals[0].key  # the same goal, carried on


def test_version_page_shows_added_removed_and_changed_goals_word_by_word(make, login_as):
    client, citizen, _ = save_two_versions(make, login_as)

    page = client.get(f"/citizens/{citizen.id}/plan/versions/2").get_data(as_text=True)

    assert "Ændringer fra version 1" in page
    assert 'class="diff-del"><span class="visually-hidden">slettet: </span>søster</del>' in page
    assert 'class="diff-add"><span class="visually-hidden">tilføjet: </span>bror</ins>' in page
    assert "Fjernet" in page and "Jeg vil have styr på gælden</del>" in page
    assert "Tilføjet" in page and "Jeg vil til tandlæge</ins>" in page
    old = client.get(f"/citizens/{citizen.id}/plan/versions/1").get_data(as_text=True)
    assert "Første version af planen" in old and "søster" in old


def test_an_unchanged_save_creates_no_new_version_and_says_so(make, login_as):
    client, citizen, _ = save_two_versions(make, login_as)
    edit = client.get(f"/citizens/{citizen.id}/plan/edit").get_data(as_text=True)
    assert 'name="base_version" type="hidden" value="2"' in edit or 'value="2"' in edit
    v2 = db.session.scalar(select(Plan).where(Plan.version == 2))
    same = plan_form([{"key": g.key, "dimension_id": g.dimension_id, "citizen_words": g.citizen_words}
                      for g in v2.goals], base_version=2, change_note="bare en note")

    response = client.post(f"/citizens/{citizen.id}/plan/edit", data=same, follow_redirects=True)

    assert count(Plan) == 2
    assert "Intet er ændret" in response.get_data(as_text=True)


def test_add_goal_button_returns_the_form_with_one_more_row_and_saves_nothing(make, login_as):
    worker, citizen = setup_citizen(make)
    client = login_as(worker)
    data = plan_form([{"dimension_id": make.dimension("housing").id, "citizen_words": "Egen bolig"}])
    data["add_goal"] = "1"

    response = client.post(f"/citizens/{citizen.id}/plan/edit", data=data)
    fragment = client.post(f"/citizens/{citizen.id}/plan/edit", data=data, headers={"HX-Request": "true"})

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="goals-1-citizen_words"' in page and "Egen bolig" in page
    assert fragment.get_data(as_text=True).lstrip().startswith("<form id=\"plan-form\"")
    assert count(Plan) == 0


def test_invalid_plan_answers_422_with_messages_at_the_fields_and_saves_nothing(make, login_as):
    worker, citizen = setup_citizen(make)
    client = login_as(worker)
    before = (count(Plan), count(Goal), count(Action))

    response = client.post(f"/citizens/{citizen.id}/plan/edit", data=plan_form(
        [{"dimension_id": "", "citizen_words": "Uden livsområde"},
         {"dimension_id": make.dimension("economy").id, "citizen_words": "", "worker_note": "kun note"}],
        [{"who": "", "what": "Ringe til banken", "due_on": "2026-13-45"}],
        review_on="ikke en dato"))

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="goals-0-dimension_id-error">Vælg et livsområde.' in page
    assert 'id="goals-1-citizen_words-error">Skriv målet med borgerens egne ord.' in page
    assert 'id="actions-0-who-error">Skriv hvem der gør det.' in page
    assert 'id="actions-0-due_on-error"' in page and 'id="review_on-error"' in page
    assert (count(Plan), count(Goal), count(Action)) == before


def test_a_dimension_of_another_team_is_refused(make, login_as):
    worker, citizen = setup_citizen(make)
    from server.citizens.models import Dimension

    other = make.save(Dimension(name="Andet teams område", team_id=make.team().id))
    response = login_as(worker).post(f"/citizens/{citizen.id}/plan/edit", data=plan_form(
        [{"dimension_id": other.id, "citizen_words": "Noget"}]))
    assert response.status_code == 422
    assert count(Plan) == 0


def test_a_stale_form_is_shown_again_before_it_overwrites_a_newer_version(make, login_as):
    client, citizen, _ = save_two_versions(make, login_as)
    stale = plan_form([{"dimension_id": make.dimension("housing").id, "citizen_words": "Gammel tekst"}],
                      base_version=1)

    first = client.post(f"/citizens/{citizen.id}/plan/edit", data=stale)
    assert first.status_code == 409 and count(Plan) == 2
    assert 'value="2"' in first.get_data(as_text=True)
    stale["base_version"] = "2"
    assert client.post(f"/citizens/{citizen.id}/plan/edit", data=stale).status_code == 302
    assert count(Plan) == 3


def test_versions_page_lists_every_version_newest_first(make, login_as):
    client, citizen, _ = save_two_versions(make, login_as)
    page = client.get(f"/citizens/{citizen.id}/plan/versions").get_data(as_text=True)
    assert page.index("Version 2") < page.index("Version 1")
    assert client.get(f"/citizens/{citizen.id}/plan/versions/9").status_code == 404


def test_supervisor_reads_the_plan_but_cannot_edit_it(make, login_as):
    client, citizen, _ = save_two_versions(make, login_as)
    boss = login_as(make.supervisor(team=citizen.team))
    assert boss.get(f"/citizens/{citizen.id}/plan").status_code == 200
    assert boss.get(f"/citizens/{citizen.id}/plan/edit").status_code == 403


def test_a_blank_base_version_is_read_as_a_first_plan_not_a_500(make, login_as):
    """" " passed Optional() unchecked and reached int(): a 500 found by the bad-input fuzzing."""
    worker, citizen = setup_citizen(make)
    housing = make.dimension("housing")
    response = login_as(worker).post(f"/citizens/{citizen.id}/plan/edit", data=plan_form(
        [{"dimension_id": housing.id, "citizen_words": "Egen bolig"}], base_version=" "))
    assert response.status_code == 302
    assert count(Plan) == 1


def test_a_tampered_row_key_is_named_on_the_page_and_nothing_is_saved(make, login_as):
    """A row's key is hidden, so its error cannot sit next to it: the summary names it (found by
    the 10,000-request fuzzing, whose bodies sent `actions-0-key` twice with junk first)."""
    worker, citizen = setup_citizen(make)
    housing = make.dimension("housing")
    client = login_as(worker)
    body = plan_form([{"dimension_id": housing.id, "citizen_words": "Egen bolig"}],
                     [{"who": "Lise", "what": "Ringe til boligselskabet"}])
    # The junk key comes first, as the fuzzing sent it; the form reads the first value.
    body = [("actions-0-key", "<not a key>"), ("actions-0-key", "ab12"), *body.items()]

    response = client.post(f"/citizens/{citizen.id}/plan/edit", data=MultiDict(body))

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="actions-0-key-error"' in html and "Ugyldig nøgle." in html
    assert count(Plan) == 0 and count(Action) == 0
