"""A web push reaches the service worker and shows a notification without case details."""
import json

from tests.e2e.conftest import log_in


def test_a_push_message_shows_a_notification_that_opens_the_given_page(context, page, live_server, make):
    worker = make.worker(team=make.team())
    context.grant_permissions(["notifications"], origin=live_server.url)
    log_in(page, worker.username)
    registration_id = page.evaluate("""async () => {
        const registration = await navigator.serviceWorker.ready;
        return registration.scope;
    }""")
    cdp = context.new_cdp_session(page)
    cdp.send("ServiceWorker.enable")
    versions = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda event: versions.extend(event["registrations"]))
    for _ in range(100):  # the event arrives asynchronously after ServiceWorker.enable
        matches = [r for r in versions if r["scopeURL"] == registration_id and not r.get("isDeleted")]
        if matches:
            break
        page.wait_for_timeout(100)
    registration = matches[0]
    payload = {"title": "Ledsager", "body": "Du har en påmindelse i Ledsager", "url": "/reminders"}
    cdp.send("ServiceWorker.deliverPushMessage", {"origin": live_server.url,
                                                  "registrationId": registration["registrationId"],
                                                  "data": json.dumps(payload)})
    notifications = None
    for _ in range(100):  # showNotification runs in the worker, shortly after the push
        notifications = page.evaluate("""async () => {
            const registration = await navigator.serviceWorker.ready;
            const shown = await registration.getNotifications();
            return shown.map(n => ({title: n.title, body: n.body, url: n.data.url}));
        }""")
        if notifications:
            break
        page.wait_for_timeout(100)
    assert notifications == [{"title": "Ledsager", "body": "Du har en påmindelse i Ledsager", "url": "/reminders"}]


def test_the_phones_subscription_is_handed_to_each_log_in_and_ended_by_log_out(context, page, live_server, make):
    """Reminders page: a phone already subscribed (by an earlier log-in) is registered with this
    log-in; the page's log-out ends it on the server, so the next person on the phone gets nothing.
    Headless Chromium has no push service to subscribe with, so the browser's subscription is
    a stand-in object from pushManager.getSubscription()."""
    from sqlalchemy import select

    from server.extensions import db
    from server.reminders.models import PushSubscription

    worker = make.worker(team=make.team())
    context.grant_permissions(["notifications"], origin=live_server.url)
    endpoint = live_server.url + "/fake-push/shared-phone"
    context.add_init_script("""(() => {
        if (!window.PushManager) { return; }
        PushManager.prototype.getSubscription = async function () {
            return { endpoint: %s, toJSON() { return { endpoint: this.endpoint, keys: { p256dh: "BKey", auth: "auth" } }; } };
        };
    })()""" % json.dumps(endpoint))
    log_in(page, worker.username)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    with page.expect_response(lambda r: r.url.endswith("/push/subscribe")) as answer:
        page.goto("/reminders")
    assert answer.value.status == 201

    def rows():
        db.session.expire_all()
        return db.session.execute(select(PushSubscription.endpoint, PushSubscription.login_session_id)).all()

    assert [(e, bool(sid)) for e, sid in rows()] == [(endpoint, True)]
    assert page.locator("[data-push]").is_hidden()  # already on: nothing to offer
    page.get_by_role("button", name="Log ud").click()
    page.wait_for_url("**/login")
    assert rows() == []
