"""The top 5 flows by keyboard alone (SECURITY #27), in headless Chromium on a phone.

No mouse, no element.click(), no fill() and no page.goto after a flow's entry URL: only
Tab / Shift+Tab / Enter / Space / arrow keys and typing. At every tab stop the focused
element must show a focus indicator (a non-'none' outline or box-shadow) and must not
be entirely hidden behind the sticky bars. Run with `-s` to see each flow's tab count.
"""
import re
from datetime import date, datetime, time, timedelta

from playwright.sync_api import expect
from sqlalchemy import select

from server.appointments.models import Appointment
from server.auth import enrolment
from server.contacts.models import Contact
from server.extensions import db
from server.localtime import to_local
from server.reminders.models import Reminder
from tests.e2e.conftest import add_virtual_authenticator, assert_accessible
from tests.factories import PASSWORD
from tests.portal import builders as portal_builders

MAX_TABS = 40
SAVE_TIMEOUT = 60_000  # an outbox save on a loaded CI machine

# The focused element (or, for a chip's visually hidden radio/checkbox, its label): is its focus
# indicator drawn, and can it be seen (not zero-sized, not entirely under a sticky bar)?
FOCUS_STATE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) { return {focused: false}; }
  const style = getComputedStyle(el);
  const shown = (style.opacity === "0" && el.labels && el.labels.length) ? el.labels[0] : el;
  const s = getComputedStyle(shown);
  const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0;
  const shadow = s.boxShadow !== "none";
  const r = shown.getBoundingClientRect();
  const points = [[r.left + r.width / 2, r.top + r.height / 2], [r.left + 2, r.top + 2],
                  [r.right - 2, r.top + 2], [r.left + 2, r.bottom - 2], [r.right - 2, r.bottom - 2]];
  const seen = points.some(([x, y]) => {
    const hit = document.elementFromPoint(x, y);
    return hit && (hit === shown || shown.contains(hit) || hit === el || hit.contains(shown));
  });
  const name = (el.getAttribute("aria-label") || (el.labels && el.labels[0] && el.labels[0].innerText)
                || el.innerText || el.value || el.name || "").replace(/\\s+/g, " ").trim().slice(0, 40).trim();
  return {focused: true, tag: el.tagName.toLowerCase(), name: name,
          indicator: outline || shadow,
          size: r.width > 0 && r.height > 0, seen: seen};
}"""


class Keyboard:
    """Drives one page by keys only, counting Tab presses and checking focus at every stop."""

    def __init__(self, page):
        self.page = page
        self.tabs = 0
        self.trail = []  # the elements the last tab_to passed, in order

    def focus_state(self) -> dict:
        return self.page.evaluate(FOCUS_STATE)

    def assert_focus_visible(self):
        state = self.focus_state()
        assert state["focused"], "nothing has focus"
        where = f"{state['tag']} '{state['name']}' on {self.page.url}"
        assert state["indicator"], f"{where}: no focus indicator (outline and box-shadow are 'none')"
        assert state["size"], f"{where}: focused but has no size"
        assert state["seen"], f"{where}: focused but entirely hidden behind another element"
        return state

    def is_focused(self, locator) -> bool:
        return locator.evaluate("el => el === document.activeElement")

    def tab_to(self, locator, backwards: bool = False, max_tabs: int = MAX_TABS) -> int:
        """Tab (or Shift+Tab) until `locator` has focus; fails clearly after max_tabs."""
        locator.wait_for(state="attached")
        self.trail = trail = []
        for n in range(1, max_tabs + 1):
            self.page.keyboard.press("Shift+Tab" if backwards else "Tab")
            self.tabs += 1
            state = self.assert_focus_visible()
            trail.append(f"{state['tag']} '{state['name']}'")
            if self.is_focused(locator):
                return n
        raise AssertionError(f"{locator} not reached in {max_tabs} {'Shift+' if backwards else ''}Tab presses "
                             f"on {self.page.url}; focus went: " + " → ".join(trail))

    def press(self, key: str):
        """A key that keeps focus on the page (arrows, Space): focus must still be visible."""
        self.page.keyboard.press(key)
        self.assert_focus_visible()

    def type(self, text: str):
        self.page.keyboard.type(text)

    def follow(self, key: str = "Enter"):
        """Press a key that navigates (a link, a submit button) and wait for the new page."""
        with self.page.expect_navigation():
            self.page.keyboard.press(key)
        self.page.wait_for_load_state("load")

    def checked_label(self, group) -> str:
        """The label of the checked radio in a fieldset (chips)."""
        return group.locator("input:checked + label").inner_text().strip()


def report(name: str, keys: Keyboard):
    print(f"\n[keyboard] {name}: {keys.tabs} Tab presses")


def fresh(statement):
    """Rows as the live server committed them (the test's session may hold older copies)."""
    db.session.expire_all()
    return db.session.scalars(statement).all()


def keyboard_log_in(keys: Keyboard, username: str):
    """The password form by keyboard: Tab to each field, type, Enter submits."""
    page = keys.page
    keys.tab_to(page.get_by_label("Brugernavn"))
    keys.type(username)
    keys.tab_to(page.get_by_label("Adgangskode"), max_tabs=1)
    keys.type(PASSWORD)
    keys.follow("Enter")
    assert page.url.endswith("/today"), page.url


def tab_bar_link(page, name: str):
    return page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name=name, exact=True)


def typeable_date(after: date) -> date:
    """The first date after `after` whose day and month are equal (12.12, 1.1, 2.2, ...).

    Chromium orders a date field's segments by its UI language, not the page's (en-US here:
    mm/dd/yyyy; Danish: dd.mm.åååå). Such a date types the same in both orders."""
    day = after + timedelta(days=1)
    while day.day != day.month:
        day += timedelta(days=1)
    return day


def type_date(keys: "Keyboard", field, day: date):
    """Type a date into a focused <input type=date>, segment by segment, and check it took."""
    keys.type(day.strftime("%d%m%Y"))
    assert field.input_value() == day.isoformat()


def worker_with_caseload(make):
    team = make.team()
    worker = make.worker(team=team)
    karin = make.citizen(worker=worker, first_name="Karin", last_name="Krogh")
    per = make.citizen(worker=worker, first_name="Per", last_name="Stille",
                       started_on=date.today() - timedelta(days=60))
    return worker, karin, per


def test_flow_1_staff_log_in_with_password_lands_on_today(page, live_app, make):
    worker, karin, per = worker_with_caseload(make)
    keys = Keyboard(page)
    page.goto("/login")
    assert_accessible(page)
    # The first Tab stop is the skip link, on screen while it has focus (the focus check
    # finds it at its place: it would fail while it sits off-screen).
    keys.tab_to(page.get_by_role("link", name="Spring til indhold"), max_tabs=1)
    # Logical order: header, the passkey (everyone's way in), then the staff password form.
    keys.tab_to(page.get_by_label("Brugernavn"), max_tabs=4)
    assert keys.trail == ["a 'Ledsager'", "button 'Log ind med adgangsnøgle'",
                          "a 'Har du fået en kode af din medarbejder?'", "input 'Brugernavn'"]
    keys.type(worker.username)
    keys.tab_to(page.get_by_label("Adgangskode"), max_tabs=1)
    keys.type(PASSWORD)
    keys.follow("Enter")
    assert page.url.endswith("/today"), page.url
    expect(page.get_by_role("heading", name="I dag", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Ikke truffet i 14 dage")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Per Stille"))).to_be_visible()
    assert_accessible(page)

    # The skip link jumps past the header: the next Tab is the first link in <main>.
    keys.tab_to(page.get_by_role("link", name="Spring til indhold"), max_tabs=1)
    page.keyboard.press("Enter")  # focus leaves the link; the next Tab starts at #main
    first_in_main = page.locator("main").get_by_role("link").first
    keys.tab_to(first_in_main, max_tabs=1)
    assert keys.trail == ["a 'Alle påmindelser'"]
    report("1 staff log-in → Today (skip link → main)", keys)


def test_flow_2_worker_logs_a_contact_from_the_caseload(page, live_app, make):
    worker, karin, per = worker_with_caseload(make)
    keys = Keyboard(page)
    page.goto("/login")
    keyboard_log_in(keys, worker.username)

    # The tab bar sits at the end of the page: Shift+Tab reaches it from the top.
    keys.tab_to(tab_bar_link(page, "Borgere"), backwards=True, max_tabs=3)
    keys.follow()
    assert page.url.endswith("/citizens")
    assert_accessible(page)
    keys.tab_to(page.get_by_role("link", name=re.compile("^Karin Krogh")))
    keys.follow()
    assert page.url.endswith(f"/citizens/{karin.id}")
    assert_accessible(page)
    keys.tab_to(page.get_by_role("link", name="Log kontakt"))
    keys.follow()
    assert page.url.endswith(f"/citizens/{karin.id}/contacts/new")
    assert_accessible(page)

    # Kind and place are radio groups: Tab enters each group once, arrows choose.
    kind = page.locator("[data-contact-type] fieldset")
    keys.tab_to(kind.get_by_label("Hjemmebesøg"))
    keys.press("ArrowRight")
    keys.press("ArrowRight")
    assert keys.checked_label(kind) == "Mødt andetsteds"
    place = page.locator("[data-contact-place] fieldset")
    keys.tab_to(place.get_by_label("Hjemme"), max_tabs=1)
    keys.press("ArrowRight")
    keys.press("ArrowRight")
    keys.press("ArrowRight")
    assert keys.checked_label(place) == "Sted borgeren valgte"
    # Dimensions are checkboxes: Tab to each, Space ticks.
    keys.tab_to(page.get_by_label("Bolig", exact=True), max_tabs=1)
    keys.press("Space")
    keys.tab_to(page.get_by_label("Økonomi", exact=True), max_tabs=1)
    keys.press("Space")
    keys.tab_to(page.get_by_label("Note (valgfri)"))
    keys.type("Mødtes på caféen, talte om huslejen")
    assert_accessible(page)
    keys.tab_to(page.get_by_role("button", name="Gem kontakt"))
    # The outbox stores the entry and sends it (the page or the service worker, whichever
    # holds the lock: the latter's request is not a page event), then returns to the citizen.
    with page.expect_navigation(url=f"**/citizens/{karin.id}", timeout=SAVE_TIMEOUT):
        page.keyboard.press("Enter")

    contacts = fresh(select(Contact).where(Contact.citizen_id == karin.id))
    assert len(contacts) == 1
    contact = contacts[0]
    assert (contact.type, contact.place, contact.reached) == ("met_elsewhere", "chosen", True)
    assert sorted(d.key for d in contact.dimensions) == ["economy", "housing"]
    assert contact.note == "Mødtes på caféen, talte om huslejen"
    shown = page.locator("[data-contacts]")
    expect(shown.get_by_text("Mødt andetsteds")).to_be_visible()
    expect(shown.get_by_text("Mødtes på caféen, talte om huslejen")).to_be_visible()
    assert_accessible(page)
    report("2 log a contact (caseload → citizen → Log kontakt)", keys)


def test_flow_3_worker_records_tried_not_reached_and_a_reminder(page, live_app, make):
    worker, karin, per = worker_with_caseload(make)
    keys = Keyboard(page)
    page.goto("/login")
    keyboard_log_in(keys, worker.username)

    # Today lists Per as not reached: Tab to him from the top of the page.
    keys.tab_to(page.locator("[data-today-not-reached]").get_by_role("link", name=re.compile("^Per Stille")))
    keys.follow()
    assert page.url.endswith(f"/citizens/{per.id}")

    # The optional extras open with Enter on their <summary>; the place chips take arrows.
    extras = page.locator(".attempt-extra")
    keys.tab_to(extras.locator("summary"))
    keys.press("Enter")
    assert extras.evaluate("el => el.open")
    keys.tab_to(extras.get_by_role("radio").first, max_tabs=1)
    keys.press("ArrowRight")
    place = extras.locator("fieldset")
    assert keys.checked_label(place) == "Gaden"
    keys.tab_to(extras.get_by_label("Note (valgfri)"), max_tabs=1)
    keys.type("Ikke ved bænken ved kirken")
    assert_accessible(page)
    # The big button comes before its extras: Shift+Tab back to it and save.
    keys.tab_to(page.get_by_role("button", name="Forsøgt, ikke truffet"), backwards=True, max_tabs=4)
    with page.expect_navigation(url=f"**/citizens/{per.id}", timeout=SAVE_TIMEOUT):
        page.keyboard.press("Enter")
    attempts = fresh(select(Contact).where(Contact.citizen_id == per.id))
    assert [(a.reached, a.place, a.note) for a in attempts] == [(False, "street", "Ikke ved bænken ved kirken")]
    expect(page.locator("[data-contacts]").get_by_text("Ikke truffet")).to_be_visible()

    # Then a reminder to try again, from the same page.
    keys.tab_to(page.get_by_role("link", name="Tilføj påmindelse"))
    keys.follow()
    assert "/reminders/new" in page.url
    keys.tab_to(page.get_by_label("Hvad skal du huske?"))
    keys.type("Prøv igen ved varmestuen")
    # The date field takes typed digits; the time keeps its default (the next full hour).
    due = typeable_date(date.today())
    keys.tab_to(page.get_by_label("Dato"), max_tabs=1)
    type_date(keys, page.get_by_label("Dato"), due)
    due_time = time.fromisoformat(page.get_by_label("Klokkeslæt").input_value())
    assert_accessible(page)
    keys.tab_to(page.get_by_role("button", name="Gem påmindelse"), max_tabs=6)
    keys.follow()
    assert page.url.endswith("/reminders"), page.url

    reminders = fresh(select(Reminder).where(Reminder.citizen_id == per.id))
    assert [r.text for r in reminders] == ["Prøv igen ved varmestuen"]
    assert to_local(reminders[0].due_at).replace(tzinfo=None) == datetime.combine(due, due_time)
    expect(page.locator(".reminder", has_text="Prøv igen ved varmestuen")).to_be_visible()
    assert_accessible(page)
    report("3 tried, not reached (with place) + a reminder", keys)


def test_flow_4_worker_books_a_meeting_accompaniment(page, live_app, make):
    worker, karin, per = worker_with_caseload(make)
    keys = Keyboard(page)
    page.goto("/login")
    keyboard_log_in(keys, worker.username)

    keys.tab_to(tab_bar_link(page, "Borgere"), backwards=True, max_tabs=3)
    keys.follow()
    keys.tab_to(page.get_by_role("link", name=re.compile("^Karin Krogh")))
    keys.follow()
    keys.tab_to(page.get_by_role("link", name="Ledsag til møde"))
    keys.follow()
    expect(page.get_by_role("heading", name="Ledsag til møde")).to_be_visible()
    assert_accessible(page)

    # No counterpart is chosen yet: Tab lands on the first, an arrow moves and chooses.
    counterpart = page.locator("fieldset", has=page.get_by_role("radio", name="Jobcenter"))
    keys.tab_to(counterpart.get_by_role("radio", name="Jobcenter"))
    keys.press("ArrowRight")
    assert keys.checked_label(counterpart) == "Socialcenter"
    keys.tab_to(page.get_by_label("Hvad drejer det sig om?"), max_tabs=1)
    keys.type("Samtale om kontanthjælp")
    day = typeable_date(date.today())
    keys.tab_to(page.get_by_label("Dato"), max_tabs=1)
    type_date(keys, page.get_by_label("Dato"), day)
    starts = time.fromisoformat(page.get_by_label("Starter kl.").input_value())  # the next full hour
    keys.tab_to(page.get_by_label("Hvor?"), max_tabs=12)
    keys.type("Socialcentret, Torvet 3")
    keys.tab_to(page.get_by_label("Mødested (hvor vi mødes først)"), max_tabs=1)
    keys.type("Ved busstoppestedet")
    switch = page.get_by_role("switch", name="Jeg ledsager borgeren")
    keys.tab_to(switch, max_tabs=1)
    assert switch.is_checked()
    keys.press("Space")  # Space toggles the switch off and on again
    assert not switch.is_checked()
    keys.press("Space")
    assert switch.is_checked()
    assert_accessible(page)
    keys.tab_to(page.get_by_role("button", name="Gem aftale"))
    keys.follow()
    assert re.search(r"/appointments/\d+$", page.url), page.url
    expect(page.get_by_role("heading", name="Samtale om kontanthjælp")).to_be_visible()
    expect(page.get_by_text("Ved busstoppestedet")).to_be_visible()
    assert_accessible(page)

    rows = fresh(select(Appointment).where(Appointment.citizen_id == karin.id))
    assert len(rows) == 1
    booked = rows[0]
    assert (booked.counterpart, booked.title, booked.location, booked.meeting_point, booked.accompanied) == (
        "social_centre", "Samtale om kontanthjælp", "Socialcentret, Torvet 3", "Ved busstoppestedet", True)
    assert to_local(booked.starts_at).replace(tzinfo=None) == datetime.combine(day, starts)
    report("4 book a meeting accompaniment", keys)


def test_flow_5_citizen_enrols_logs_in_with_a_passkey_and_reads_plan_and_appointments(context, page, live_app, make):
    worker = make.worker(team=make.team())
    anna = make.citizen(worker=worker, first_name="Anna", last_name="Andersen")
    portal_builders.plan(anna, worker, goal_words="Jeg vil have min egen lejlighed",
                         action_what="Ringe til boligforeningen")
    meeting = portal_builders.appointment(anna, worker, title="Møde på jobcentret", accompanied=True)
    code, _row = enrolment.issue_code(anna, worker)
    db.session.commit()
    add_virtual_authenticator(context, page)
    keys = Keyboard(page)

    # Enrolment: type the one-time code, Enter makes the passkey.
    page.goto("/enrol")
    assert_accessible(page)
    keys.tab_to(page.get_by_label("Engangskode"))
    keys.type(code)
    keys.tab_to(page.get_by_role("button", name="Opret adgangsnøgle"), max_tabs=1)
    keys.follow("Enter")
    assert page.url.endswith("/me/plan"), page.url

    # Log out (a button in the header) and back in with the passkey, by keyboard.
    keys.tab_to(page.get_by_role("button", name="Log ud"))
    keys.follow("Enter")
    assert page.url.endswith("/login")
    keys.tab_to(page.get_by_role("button", name="Log ind med adgangsnøgle"))
    keys.follow("Space")  # Space activates a button as Enter does
    assert page.url.endswith("/me/plan"), page.url

    # My plan, in my own words.
    expect(page.get_by_text("Jeg vil have min egen lejlighed")).to_be_visible()
    expect(page.get_by_text("Ringe til boligforeningen")).to_be_visible()
    assert_accessible(page)

    # My appointments, from the tab bar; answer "Jeg kommer".
    keys.tab_to(tab_bar_link(page, "Mine aftaler"), backwards=True, max_tabs=3)
    keys.follow()
    assert page.url.endswith("/me/appointments")
    card = page.locator(f"#appointment-{meeting.id}")
    expect(card.get_by_text("Møde på jobcentret")).to_be_visible()
    expect(card.get_by_text("Din medarbejder tager med")).to_be_visible()
    assert_accessible(page)
    keys.tab_to(card.get_by_role("button", name="Jeg kommer"))
    keys.follow("Enter")
    expect(page.locator(f"#appointment-{meeting.id}").get_by_text("Du har svaret: Jeg kommer")).to_be_visible()
    assert fresh(select(Appointment.citizen_answer).where(Appointment.id == meeting.id)) == ["coming"]
    assert_accessible(page)
    report("5 citizen: enrol, passkey log-in, my plan, my appointments", keys)
