"""Plan and housing on a phone: a goal updated in the citizen's words, a move-in recorded."""
import re

from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, log_in


def make_case(make):
    from server.offers.models import CitizenOffer, Offer, Provider
    from server.plans.models import Goal, Plan

    team = make.team()
    worker = make.worker(team=team)
    citizen = make.citizen(worker=worker, first_name="Jonas")
    housing = make.dimension("housing")
    make.save(Plan(citizen_id=citizen.id, version=1, author_id=worker.id, goals=[
        Goal(key="a1", dimension_id=housing.id, citizen_words="Jeg vil have et sted at sove")]))
    offer = make.save(Offer(name="Værestedet Havnely", provider=Provider.NGO))
    make.save(CitizenOffer(citizen_id=citizen.id, offer_id=offer.id))
    return worker, citizen


def test_worker_updates_a_goal_in_the_citizens_words_and_sees_version_two(page, live_app, make):
    worker, citizen = make_case(make)
    log_in(page, worker.username)

    page.goto(f"/citizens/{citizen.id}/plan")
    assert_accessible(page)
    page.get_by_role("link", name="Ret planen sammen med borgeren").click()
    words = page.locator("#goals-0-citizen_words")
    expect(words).to_have_value("Jeg vil have et sted at sove")

    # Adding a row swaps in the form with one more goal (htmx), keeping what was typed.
    words.fill("")
    page.get_by_role("button", name="+ Tilføj mål").click()
    expect(page.locator("#goals-1-citizen_words")).to_be_visible()
    expect(page.locator("#goals-1-dimension_id")).to_be_focused()
    page.get_by_role("button", name="Gem som ny version").click()
    expect(page.locator("#goals-0-citizen_words-error")).to_have_text("Skriv målet med borgerens egne ord.")
    assert_accessible(page)

    page.locator("#goals-0-citizen_words").fill("Jeg vil have min egen lejlighed tæt på havnen")
    page.get_by_label("Hvad er ændret, og hvorfor? (valgfri)").fill("Talt sammen på bænken")
    page.get_by_role("button", name="Gem som ny version").click()

    expect(page).to_have_url(re.compile(rf"/citizens/{citizen.id}/plan/versions/2$"))
    expect(page.get_by_role("heading", name="Plan, version 2")).to_be_visible()
    changes = page.locator("#changes")
    expect(changes.locator("ins.diff-add").first).to_contain_text("min egen lejlighed")
    expect(changes.locator("del.diff-del").first).to_contain_text("et sted at sove")
    assert_accessible(page)


def test_worker_records_a_move_in_and_sees_the_badge(page, live_app, make):
    worker, citizen = make_case(make)
    log_in(page, worker.username)

    page.goto(f"/citizens/{citizen.id}/housing")
    page.get_by_label("Hvor bor borgeren nu?").select_option("rental_public")
    page.get_by_label("Adresse eller sted (valgfri)").fill("Søgade 4, 2. tv")
    page.get_by_role("button", name="Gem boligsituation").click()

    badge = page.locator("[data-housing-badge]")
    expect(badge).to_have_text("Egen lejebolig, almen")
    expect(badge).to_have_class(re.compile("badge-ok"))
    assert_accessible(page)

    page.goto(f"/citizens/{citizen.id}/assessment")
    page.get_by_text("Skriv en ny vurdering af Bolig").click()
    assert_accessible(page)
    page.goto(f"/citizens/{citizen.id}/offers")
    page.get_by_text("Skift status for Værestedet Havnely").click()
    assert_accessible(page)
    page.goto("/offers")
    expect(page.get_by_text("Værestedet Havnely")).to_be_visible()
    assert_accessible(page)
