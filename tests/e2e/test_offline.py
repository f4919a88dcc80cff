"""The offline promise in a real browser: an entry recorded without network is never lost and
never doubled (SPEC §3). Headless Chromium, the app on localhost, the service worker live."""
import json
import tempfile
import time
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select, update

from server.audit.models import AuditEvent
from server.auth.models import LoginSession
from server.contacts.models import Contact
from server.db import utcnow
from server.extensions import db
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE, CSPWatcher, assert_accessible, log_in

NOTE = "Hemmelig note om opgangen"


# --- helpers -------------------------------------------------------------------------------
def wait_for_worker(page):
    """The service worker controls the page and knows which pages it may keep. Installing it
    downloads the app shell: up to a minute when the 2-core CI machine is busy (the sync fault
    test's gunicorn runs beside the browser tests)."""
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller !== null",
                           timeout=60_000)
    page.wait_for_function("""async () => {
        if (!window.LedsagerOutbox) return false;
        const list = await LedsagerOutbox.getMeta('offlinePages');
        return Boolean(list && list.pages.length);
    }""", timeout=60_000)


def prepare_offline(page, worker, citizen):
    """Log in and open the pages a worker opens in the morning, so they are kept for offline."""
    log_in(page, worker.username)
    wait_for_worker(page)
    for url in (f"/citizens/{citizen.id}", f"/citizens/{citizen.id}/contacts/new"):
        page.goto(url)
        page.wait_for_load_state("networkidle")
    page.wait_for_function(f"""async () => (await LedsagerCaches.keptPages())
        .includes('/citizens/{citizen.id}/contacts/new')""")


def record_contact(page, citizen, note):
    if "/contacts/new" not in page.url:
        page.goto(f"/citizens/{citizen.id}/contacts/new")
    page.locator("textarea[name=note]").fill(note)
    page.get_by_role("button", name="Gem kontakt").click()
    page.locator("[data-outbox-note]:not(:has-text('Gemmer'))").wait_for()


def record_offline(page, citizen, notes):
    """Record contacts one after the other, as a worker would: each saved before the next."""
    for note in notes:
        record_contact(page, citizen, note)
        page.get_by_text("Gemt på telefonen – sendes når der er net").wait_for()
        page.wait_for_function("() => document.querySelector('textarea[name=note]').value === ''")


def waiting_number(page) -> int:
    badge = page.locator("[data-outbox-count]")
    badge.wait_for(state="attached")
    return 0 if badge.is_hidden() else int(page.locator("[data-outbox-number]").inner_text())


def expect_waiting(page, n, timeout=15_000):
    try:
        _expect_waiting(page, n, timeout)
    except Exception:
        print("DEBUG", page.url, page.locator("[data-outbox-count]").evaluate("e => e.outerHTML"), dump_storage(page)["entries"])
        raise


def _expect_waiting(page, n, timeout):
    page.wait_for_function(
        f"""() => {{ const b = document.querySelector('[data-outbox-count]');
            const n = document.querySelector('[data-outbox-number]');
            return b && n && ({n} === 0 ? b.hidden : (!b.hidden && n.textContent === '{n}')); }}""",
        timeout=timeout)


def dump_storage(page) -> dict:
    """Everything the origin keeps: raw IndexedDB rows (as the phone stores them) and cache URLs."""
    return page.evaluate("""async () => {
        const db = await new Promise((resolve, reject) => {
            const r = indexedDB.open('ledsager'); r.onsuccess = () => resolve(r.result); r.onerror = reject; });
        const all = (store) => new Promise((resolve) => {
            const r = db.transaction(store).objectStore(store).getAll(); r.onsuccess = () => resolve(r.result); });
        const text = (value) => JSON.stringify(value, (k, v) =>
            v instanceof ArrayBuffer || ArrayBuffer.isView(v) ? new TextDecoder('utf-8', {fatal: false})
                .decode(v instanceof ArrayBuffer ? new Uint8Array(v) : v) : v);
        const entries = await all('entries');
        const caches_ = {};
        for (const name of await caches.keys()) {
            caches_[name] = (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname);
        }
        return { entries: entries.map((e) => ({ clientId: e.clientId, userId: e.userId, status: e.status })),
                 raw: text(entries) + text(await all('meta')) + text(await all('keys')),
                 caches: caches_ };
    }""")


def contacts_of(citizen) -> list[Contact]:
    db.session.expire_all()
    return db.session.scalars(select(Contact).where(Contact.citizen_id == citizen.id).order_by(Contact.id)).all()


def wait_until(condition, timeout=20.0, message="condition", page=None):
    """Poll; with a page, Playwright's events keep flowing while we wait (time.sleep blocks them)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        page.wait_for_timeout(200) if page else time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {message}")


def dispatch_sync(context, page):
    """Fire the service worker's Background Sync event deterministically (CDP)."""
    cdp = context.new_cdp_session(page)
    registrations = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda event: registrations.extend(event["registrations"]))
    cdp.send("ServiceWorker.enable")
    wait_until(lambda: registrations, 5, "service worker registration", page)
    origin = page.url.split("/", 3)[:3]
    cdp.send("ServiceWorker.dispatchSyncEvent", {
        "origin": "/".join(origin), "registrationId": registrations[0]["registrationId"],
        "tag": "ledsager-outbox", "lastChance": False})


QUEUE_SCRIPT = """async ({notes, invalid}) => {
    // Many entries at once, by the same write-ahead path a submit takes (the real form's fields).
    const form = document.querySelector('form[data-outbox="contact"]');
    for (let i = 0; i < notes.length; i++) {
        const fields = new URLSearchParams();
        new FormData(form).forEach((value, name) => { if (name !== 'csrf_token') fields.append(name, value); });
        const clientId = crypto.randomUUID();
        const recordedAt = new Date().toISOString();
        fields.set('client_id', clientId);
        fields.set('recorded_at', recordedAt);
        fields.set('note', notes[i]);
        if (invalid.includes(i)) fields.set('occurred_at', '2099-01-01T10:00');
        await LedsagerOutbox.add({clientId, userId: document.body.dataset.userId, kind: 'contact',
            url: new URL(form.action).pathname, body: fields.toString(), recordedAt,
            label: 'Bent', summary: notes[i], pageUrl: location.pathname});
    }
}"""


def queue_offline(page, notes, invalid=()):
    """Write entries to the outbox on the contact form without sending them (the page is offline)."""
    page.evaluate(QUEUE_SCRIPT, {"notes": notes, "invalid": list(invalid)})


def contact_posts(citizen) -> int:
    """POSTs that reached the contact route for this citizen (one audit event each)."""
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.citizen_id == citizen.id, AuditEvent.action == "write", AuditEvent.subject == "contacts.create"))


@pytest.fixture
def worker_with_citizen(make):
    team = make.team()
    worker = make.worker(team=team)
    return worker, make.citizen(worker=worker, first_name="Bent")


# --- tests ---------------------------------------------------------------------------------
def test_manifest_and_worker_make_the_app_installable(context, page, live_app, make):
    worker = make.worker(team=make.team())
    log_in(page, worker.username)
    wait_for_worker(page)
    cdp = context.new_cdp_session(page)
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    # A test context is incognito; that is the browser's objection, not the app's.
    assert [e for e in errors if e["errorId"] != "in-incognito"] == [], errors
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["errors"] == [], manifest["errors"]
    page.goto("/outbox")
    page.get_by_text("Ingen poster venter. Alt er sendt.").wait_for()
    assert_accessible(page)


def test_contacts_recorded_offline_wait_on_the_phone_and_are_stored_once_when_back_online(
        context, page, live_app, worker_with_citizen):
    worker, citizen = worker_with_citizen
    prepare_offline(page, worker, citizen)

    context.set_offline(True)
    page.goto(f"/citizens/{citizen.id}/contacts/new")  # from the service worker's copy
    record_offline(page, citizen, [f"{NOTE} {n}" for n in range(3)])
    expect_waiting(page, 3)
    page.reload()
    expect_waiting(page, 3)
    assert contacts_of(citizen) == []
    went_online = utcnow()

    context.set_offline(False)
    dispatch_sync(context, page)
    wait_until(lambda: len(contacts_of(citizen)) == 3, message="three contacts stored", page=page)
    expect_waiting(page, 0)
    stored = contacts_of(citizen)
    assert sorted(c.note for c in stored) == [f"{NOTE} {n}" for n in range(3)]
    assert len({c.client_id for c in stored}) == 3
    for contact in stored:
        assert contact.recorded_at < went_online <= contact.received_at


def record_offline_day(page, citizen):
    """Three visits, a tried-not-reached, a reminder and an accompaniment, all without network."""
    page.goto(f"/citizens/{citizen.id}/contacts/new")
    record_offline(page, citizen, [f"{NOTE} {n}" for n in range(3)])
    page.goto(f"/citizens/{citizen.id}")
    page.get_by_role("button", name="Forsøgt, ikke truffet").click()
    page.get_by_text("Gemt på telefonen – sendes når der er net").wait_for()
    page.goto(f"/reminders/new?citizen_id={citizen.id}")
    page.locator("[name=text]").fill("Ring til boligselskabet")
    page.get_by_role("button", name="Gem påmindelse").click()
    page.get_by_text("Gemt på telefonen – sendes når der er net").wait_for()
    page.goto(f"/citizens/{citizen.id}/appointments/new?accompanied=1")
    page.locator("[name=counterpart][value=jobcenter]").check(force=True)
    page.locator("[name=title]").fill("Samtale på jobcentret")
    page.locator("[name=date]").fill((utcnow() + timedelta(days=2)).date().isoformat())
    page.locator("[name=starts]").fill("10:00")
    page.get_by_role("button", name="Gem aftale").click()
    page.get_by_text("Gemt på telefonen – sendes når der er net").wait_for()


def stored_entries(citizen) -> dict:
    from server.appointments.models import Appointment
    from server.reminders.models import Reminder

    db.session.expire_all()
    rows = {
        "contacts": contacts_of(citizen),
        "reminders": db.session.scalars(select(Reminder).where(Reminder.citizen_id == citizen.id)).all(),
        "appointments": db.session.scalars(select(Appointment).where(Appointment.citizen_id == citizen.id)).all(),
    }
    return rows


def test_a_day_recorded_offline_survives_reload_and_a_closed_browser_and_is_stored_once(
        browser, live_server, live_app, worker_with_citizen):
    worker, citizen = worker_with_citizen
    profile = tempfile.mkdtemp(prefix="ledsager-profile-")
    options = dict(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, viewport=PHONE,
                   base_url=live_server.url, locale="da-DK", timezone_id="Europe/Copenhagen")
    launch = browser.browser_type.launch_persistent_context

    context = launch(profile, **options)
    page = context.pages[0] if context.pages else context.new_page()
    watcher = CSPWatcher(page)
    prepare_offline(page, worker, citizen)
    for url in ("/today", f"/reminders/new?citizen_id={citizen.id}",
                f"/citizens/{citizen.id}/appointments/new?accompanied=1"):
        page.goto(url)
    context.set_offline(True)
    record_offline_day(page, citizen)
    expect_waiting(page, 6)
    page.reload()
    expect_waiting(page, 6)
    page.goto("/today")  # Today, read from the phone's copy, says what waits
    page.locator("[data-outbox-summary]").get_by_text("6 poster venter på at blive sendt").wait_for()
    assert not watcher.messages, watcher.messages
    context.close()

    # The next day the phone starts with no server to reach (Playwright's offline switch does not
    # reliably reach a service worker that starts after it; a stopped server always does).
    port = live_server.port
    live_server.stop()
    try:
        context = launch(profile, **options)
        page = context.pages[0] if context.pages else context.new_page()
        page.goto(f"/citizens/{citizen.id}")
        expect_waiting(page, 6)
    finally:
        went_online = utcnow()
        live_server.start(port)
    assert all(not rows for rows in stored_entries(citizen).values())

    page.goto("/today")
    if "/login" in page.url:  # the session cookie did not outlive the browser: log in again
        log_in(page, worker.username)
    wait_until(lambda: sum(len(rows) for rows in stored_entries(citizen).values()) == 6,
               message="six entries stored", page=page)
    expect_waiting(page, 0)
    stored = stored_entries(citizen)
    assert len(stored["contacts"]) == 4 and [c.reached for c in stored["contacts"]].count(False) == 1
    assert len(stored["reminders"]) == 1 and len(stored["appointments"]) == 1
    assert stored["appointments"][0].accompanied
    for row in stored["contacts"] + stored["reminders"] + stored["appointments"]:
        assert row.recorded_at < went_online <= row.received_at
    context.close()


def test_entries_made_while_the_server_is_down_are_stored_once_when_it_returns(
        context, page, live_server, live_app, worker_with_citizen):
    worker, citizen = worker_with_citizen
    prepare_offline(page, worker, citizen)
    port = live_server.port
    live_server.stop()
    try:
        record_offline(page, citizen, [f"{NOTE} {n}" for n in range(2)])
        assert page.evaluate("navigator.onLine")  # the browser thinks it is online: never trust it
        expect_waiting(page, 2)
    finally:
        live_server.start(port)
    dispatch_sync(context, page)
    wait_until(lambda: len(contacts_of(citizen)) == 2, message="two contacts stored", page=page)
    expect_waiting(page, 0)


def test_a_replay_after_a_lost_answer_counts_as_stored_and_is_not_doubled(context, page, live_app, worker_with_citizen):
    worker, citizen = worker_with_citizen
    prepare_offline(page, worker, citizen)
    posts = []

    def lose_the_first_answer(route):
        posts.append(route.request.post_data)
        if len(posts) == 1:
            route.fetch()  # the server stores the entry ...
            route.abort("connectionreset")  # ... but the phone never hears back
        else:
            route.continue_()

    context.route("**/citizens/*/contacts", lose_the_first_answer)
    record_contact(page, citizen, NOTE)
    page.get_by_text("Gemt på telefonen – sendes når der er net").wait_for()
    assert len(contacts_of(citizen)) == 1

    page.evaluate("Ledsager.outbox.replay(true)")  # the timer would do it too, after its back-off
    expect_waiting(page, 0)
    assert len(posts) == 2 and posts[0] == posts[1]  # the very same entry, sent twice
    assert len(contacts_of(citizen)) == 1


def test_entries_wait_through_an_expired_session_and_are_sent_after_the_next_log_in(
        context, page, live_app, worker_with_citizen):
    worker, citizen = worker_with_citizen
    prepare_offline(page, worker, citizen)
    context.set_offline(True)
    record_offline(page, citizen, [f"{NOTE} {n}" for n in range(2)])
    # While the phone was offline the session ended on the server.
    db.session.execute(update(LoginSession).where(LoginSession.user_id == worker.id).values(revoked_at=utcnow()))
    db.session.commit()

    context.set_offline(False)
    summary = page.evaluate("Ledsager.outbox.replay(true)")
    assert summary["loginNeeded"] is True
    assert contacts_of(citizen) == []
    assert len(dump_storage(page)["entries"]) == 2
    page.get_by_text("Log ind igen, så bliver de gemte poster sendt.").wait_for()

    log_in(page, worker.username)
    wait_until(lambda: len(contacts_of(citizen)) == 2, message="two contacts stored", page=page)
    expect_waiting(page, 0)


def test_a_csrf_token_that_aged_offline_does_not_stop_the_replay(context, page, live_app, worker_with_citizen):
    worker, citizen = worker_with_citizen
    prepare_offline(page, worker, citizen)
    old_token = page.evaluate("Ledsager.csrfToken()")
    context.set_offline(True)
    record_contact(page, citizen, NOTE)
    page.get_by_text("Gemt på telefonen – sendes når der er net").wait_for()
    live_app.config["WTF_CSRF_TIME_LIMIT"] = 2
    try:
        page.wait_for_timeout(3000)
        context.set_offline(False)
        # The token the page was given has aged out ...
        status = page.evaluate("""async (token) => (await fetch(location.pathname.replace('/new', ''), {
            method: 'POST', headers: {'X-CSRFToken': token, 'Accept': 'application/json'}, body: ''})).status""",
                               old_token)
        assert status == 400
        # ... and the outbox, which fetches a fresh one at replay time, still gets through.
        page.evaluate("Ledsager.outbox.replay(true)")
        wait_until(lambda: len(contacts_of(citizen)) == 1, message="contact stored", page=page)
    finally:
        live_app.config["WTF_CSRF_TIME_LIMIT"] = 3600
    expect_waiting(page, 0)


def test_an_invalid_entry_is_kept_shown_and_can_be_fixed(context, page, live_app, worker_with_citizen):
    worker, citizen = worker_with_citizen
    prepare_offline(page, worker, citizen)
    context.set_offline(True)
    page.locator("[name=occurred_at]").fill("2099-01-01T10:00")
    record_contact(page, citizen, NOTE)
    page.get_by_text("Gemt på telefonen – sendes når der er net").wait_for()
    context.set_offline(False)
    page.evaluate("Ledsager.outbox.replay(true)")

    page.goto("/outbox")
    row = page.locator(".outbox-row")
    row.get_by_text("Skal rettes").wait_for()
    assert "Tidspunktet ligger i fremtiden." in row.inner_text()
    assert contacts_of(citizen) == []
    expect_waiting(page, 1)
    assert_accessible(page)

    row.get_by_role("link", name="Ret").click()
    page.wait_for_url("**/contacts/new?outbox-fix=*")
    page.get_by_text("Tidspunktet ligger i fremtiden.").wait_for()  # shown once the form is prefilled
    assert page.locator("textarea[name=note]").input_value() == NOTE
    page.locator("[name=occurred_at]").fill("2026-01-05T10:00")
    page.get_by_role("button", name="Gem kontakt").click()
    page.wait_for_url(f"**/citizens/{citizen.id}")
    (contact,) = contacts_of(citizen)
    assert contact.note == NOTE
    expect_waiting(page, 0)


def test_two_tabs_and_the_worker_replaying_at_once_send_each_entry_once(context, page, live_app, worker_with_citizen):
    worker, citizen = worker_with_citizen
    prepare_offline(page, worker, citizen)
    context.set_offline(True)
    record_offline(page, citizen, [f"{NOTE} {n}" for n in range(5)])
    second = context.new_page()
    second.goto(f"/citizens/{citizen.id}")
    expect_waiting(second, 5)

    context.set_offline(False)  # both tabs hear "online" and replay
    for tab in (page, second):
        tab.evaluate("() => { Ledsager.outbox.replay(true); }")
    dispatch_sync(context, page)
    wait_until(lambda: len(contacts_of(citizen)) == 5, message="five contacts stored", page=page)
    expect_waiting(page, 0)
    expect_waiting(second, 0)
    posts = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.citizen_id == citizen.id, AuditEvent.action == "write", AuditEvent.subject == "contacts.create"))
    assert posts == 5  # the lock: not one entry was posted twice


def test_log_out_with_waiting_entries_keeps_them_sealed_for_the_same_worker_only(
        context, page, live_app, make, worker_with_citizen):
    worker, citizen = worker_with_citizen
    colleague = make.worker(team=citizen.team)
    prepare_offline(page, worker, citizen)
    failing = lambda route: route.fulfill(status=503, content_type="application/json", body="{}")  # noqa: E731
    context.route("**/citizens/*/contacts", failing)
    record_contact(page, citizen, NOTE)
    page.get_by_text("Gemt på telefonen – sendes når der er net").wait_for()
    expect_waiting(page, 1)

    page.get_by_role("button", name="Log ud").click()
    dialog = page.locator("dialog[data-logout-dialog]")
    dialog.get_by_text("1 post er kun gemt på telefonen").wait_for()
    assert_accessible(page)
    dialog.get_by_role("button", name="Log ud alligevel").click()
    page.wait_for_url("**/login")

    storage = dump_storage(page)
    (entry,) = storage["entries"]
    assert entry["clientId"] in storage["raw"]  # the dump does see the stored rows ...
    assert NOTE not in storage["raw"] and "Bent" not in storage["raw"]  # ... but no readable note or name
    assert not [url for urls in storage["caches"].values() for url in urls if url.startswith("/citizens")]
    context.unroute("**/citizens/*/contacts", failing)

    # A colleague on the same phone sees none of it, and sends none of it.
    log_in(page, colleague.username)
    expect_waiting(page, 0)
    page.evaluate("Ledsager.outbox.replay(true)")
    assert contacts_of(citizen) == []
    page.get_by_role("button", name="Log ud").click()
    page.wait_for_url("**/login")

    log_in(page, worker.username)
    wait_until(lambda: len(contacts_of(citizen)) == 1, message="the contact stored", page=page)
    assert contacts_of(citizen)[0].note == NOTE
    expect_waiting(page, 0)


def test_entries_older_than_the_max_age_wait_for_review_and_discard_asks_first(
        context, page, live_app, worker_with_citizen):
    worker, citizen = worker_with_citizen
    prepare_offline(page, worker, citizen)
    context.set_offline(True)
    record_offline(page, citizen, [f"{NOTE} {n}" for n in range(2)])
    # Both were written 40 days ago (the default max age is 30 days).
    page.evaluate("""async () => {
        const db = await LedsagerOutbox.openDb();
        const store = db.transaction('entries', 'readwrite').objectStore('entries');
        const rows = await new Promise((resolve) => { const r = store.getAll(); r.onsuccess = () => resolve(r.result); });
        for (const row of rows) { row.createdAt -= 40 * 24 * 3600 * 1000; store.put(row); }
    }""")
    context.set_offline(False)
    page.evaluate("Ledsager.outbox.replay(true)")
    assert contacts_of(citizen) == []  # not sent without the worker's review

    page.goto("/outbox")
    rows = page.locator(".outbox-row")
    rows.first.get_by_text("Gammel – se den igennem").wait_for()
    assert rows.count() == 2
    page.once("dialog", lambda dialog: dialog.dismiss())
    rows.nth(1).get_by_role("button", name="Kassér").click()
    expect(rows).to_have_count(2)  # "no" keeps it
    page.once("dialog", lambda dialog: dialog.accept())
    rows.nth(1).get_by_role("button", name="Kassér").click()
    expect(rows).to_have_count(1)
    rows.first.get_by_role("button", name="Send alligevel").click()
    wait_until(lambda: len(contacts_of(citizen)) == 1, message="the reviewed entry stored", page=page)
    page.get_by_text("Ingen poster venter. Alt er sendt.").wait_for()


def test_a_long_outbox_replayed_by_two_tabs_and_the_worker_at_once_is_posted_once_per_entry(
        context, page, live_app, worker_with_citizen):
    # More entries than one batch (re-read, written back and announced 16 at a time), four in
    # flight per replay, and three contexts replaying at once.
    worker, citizen = worker_with_citizen
    prepare_offline(page, worker, citizen)
    context.set_offline(True)
    notes = [f"{NOTE} {n}" for n in range(40)]
    queue_offline(page, notes)
    second = context.new_page()
    second.goto(f"/citizens/{citizen.id}")
    expect_waiting(second, 40)

    context.set_offline(False)
    for tab in (page, second):
        tab.evaluate("() => { Ledsager.outbox.replay(true); }")
    dispatch_sync(context, page)
    wait_until(lambda: len(contacts_of(citizen)) == 40, message="forty contacts stored", page=page)
    expect_waiting(page, 0)
    expect_waiting(second, 0)  # the other tab heard the batches' announcements
    assert sorted(c.note for c in contacts_of(citizen)) == sorted(notes)
    assert contact_posts(citizen) == 40  # not one entry was posted twice
    assert dump_storage(page)["entries"] == []


def test_an_invalid_entry_in_the_middle_of_a_replay_is_kept_and_the_others_are_stored(
        context, page, live_app, worker_with_citizen):
    worker, citizen = worker_with_citizen
    prepare_offline(page, worker, citizen)
    context.set_offline(True)
    notes = [f"{NOTE} {n}" for n in range(20)]
    queue_offline(page, notes, invalid=[9])  # an occurrence in 2099: the server answers 422
    context.set_offline(False)

    page.evaluate("Ledsager.outbox.replay(true)")  # the page's "online" handler may be at it already
    wait_until(lambda: len(contacts_of(citizen)) == 19, message="nineteen contacts stored", page=page)
    wait_until(lambda: [e["status"] for e in dump_storage(page)["entries"]] == ["invalid"],
               message="only the invalid entry left, marked", page=page)
    assert sorted(c.note for c in contacts_of(citizen)) == sorted(notes[:9] + notes[10:])
    page.goto("/outbox")
    row = page.locator(".outbox-row")
    row.get_by_text("Skal rettes").wait_for()
    assert "Tidspunktet ligger i fremtiden." in row.inner_text() and f"{NOTE} 9" in row.inner_text()
    assert contact_posts(citizen) == 20


def test_a_network_failure_mid_replay_stops_it_and_the_rest_wait_until_the_next_replay(
        context, page, live_app, worker_with_citizen):
    worker, citizen = worker_with_citizen
    prepare_offline(page, worker, citizen)
    context.set_offline(True)
    notes = [f"{NOTE} {n}" for n in range(30)]
    queue_offline(page, notes)
    sent = []

    def tenth_post_fails(route):
        sent.append(route.request.post_data)
        if len(sent) == 10:
            route.abort("connectionfailed")  # the server never sees this one
        else:
            route.continue_()

    context.route("**/citizens/*/contacts", tenth_post_fails)
    context.set_offline(False)
    page.evaluate("Ledsager.outbox.replay(true)")  # the page's "online" handler may be at it already
    wait_until(lambda: page.evaluate("async () => Boolean(((await LedsagerOutbox.getMeta('backoff')) || {}).until)"),
               message="the replay stopped and backs off", page=page)
    # Nothing new is started after the failure; only the (at most three) sends already in
    # flight finish. Every entry not stored is still waiting, none is marked invalid.
    stored = len(contacts_of(citizen))
    assert 9 <= stored <= 12, stored
    entries = dump_storage(page)["entries"]
    assert len(entries) == 30 - stored and {entry["status"] for entry in entries} == {"waiting"}
    context.unroute("**/citizens/*/contacts", tenth_post_fails)

    page.evaluate("Ledsager.outbox.replay(true)")
    wait_until(lambda: len(contacts_of(citizen)) == 30, message="thirty contacts stored", page=page)
    assert sorted(c.note for c in contacts_of(citizen)) == sorted(notes)
    assert contact_posts(citizen) == 30
    expect_waiting(page, 0)
