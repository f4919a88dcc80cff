"""The supervisor's tablet in a real browser (1024x768): board, drill-down, a team meeting; axe."""
from datetime import date, timedelta

from tests.e2e.conftest import assert_accessible, log_in
from tests.teams import builders as b


def team_with_flags(make):
    team = make.team(name="ICM Nord")
    boss = make.supervisor(team=team)
    busy = make.worker(team=team, name="Birte Travl")
    calm = make.worker(team=team, name="Carl Rolig")
    for i in range(9):
        c = make.citizen(worker=busy, first_name=f"Borger{i}")
        b.contact(c, busy, days_ago=i % 5)
    silent = make.citizen(worker=calm, first_name="Sofus", last_name="Stille")
    b.contact(silent, calm, days_ago=40)
    b.contact(silent, calm, days_ago=3, reached=False)
    b.housing(silent, calm, "street", b.days(60))
    return team, boss, busy, calm, silent


def test_board_shows_over_cap_worker_and_not_reached_citizen_and_drills_down(tablet_page, make):
    page = tablet_page
    team, boss, busy, calm, silent = team_with_flags(make)
    log_in(page, boss.username)
    assert page.url.endswith("/team")
    worker_card = page.locator(f'[data-worker="{busy.id}"]')
    assert "9 af 8 borgere" in worker_card.inner_text() and "Over loftet" in worker_card.inner_text()
    assert_accessible(page)

    page.locator(".flag-links").get_by_role("link", name="Ikke nået").click()
    page.wait_for_url("**/team?flag=not_reached")
    rows = page.locator("tbody tr[data-citizen]")
    assert rows.count() == 1 and "Sofus Stille" in rows.first.inner_text()
    page.get_by_role("link", name="Sofus Stille", exact=True).click()
    page.wait_for_load_state("networkidle")
    assert f"/citizens/{silent.id}" in page.url


def test_run_a_team_meeting_and_the_decision_becomes_the_workers_reminder(tablet_page, make):
    page = tablet_page
    team, boss, busy, calm, silent = team_with_flags(make)
    log_in(page, boss.username)
    page.goto("/team/meetings")
    page.get_by_role("button", name="Start teammøde med dagsorden").click()
    page.wait_for_url("**/team/meetings/*")
    item = page.locator("section.agenda-item", has_text="Sofus Stille")
    assert "Ikke nået" in item.inner_text()
    assert_accessible(page)
    item.get_by_label("Beslutning").fill("Opsøg Sofus ved varmestuen")
    item.get_by_text("Lav en påmindelse til den gennemgående medarbejder").click()
    item.get_by_label("Påmindelse den").fill((date.today() + timedelta(days=2)).isoformat())
    item.get_by_role("button", name="Gem punkt").click()
    page.wait_for_load_state("networkidle")
    item = page.locator("section.agenda-item", has_text="Sofus Stille")
    assert "Opsøg Sofus ved varmestuen" in item.locator("[data-reminder]").inner_text()

    page.get_by_role("button", name="Log ud").click()
    page.wait_for_url("**/login")
    log_in(page, calm.username)
    page.goto("/reminders")
    assert "Opsøg Sofus ved varmestuen" in page.locator("main").inner_text()


def test_fidelity_outcomes_and_admin_users_are_accessible(tablet_page, make):
    page = tablet_page
    team, boss, busy, calm, silent = team_with_flags(make)
    log_in(page, boss.username)
    page.goto("/team/fidelity")
    assert page.locator('[data-criterion="caseload"][data-met="no"]').count() == 1
    assert_accessible(page)
    page.goto("/team/outcomes")
    assert page.locator('[data-outcome="never_housed"] [data-count]').inner_text() == "10"
    assert_accessible(page)
    page.goto(f"/team/citizens/{silent.id}/reassign")
    assert_accessible(page)
    page.get_by_role("button", name="Log ud").click()
    page.wait_for_url("**/login")
    admin = make.admin()
    log_in(page, admin.username)
    page.wait_for_url("**/admin")
    page.goto("/admin/users")
    assert page.locator(f'[data-user="{boss.id}"]').count() == 1
    assert_accessible(page)
    page.goto("/admin/teams")
    assert_accessible(page)
