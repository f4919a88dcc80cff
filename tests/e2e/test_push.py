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
