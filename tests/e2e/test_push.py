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
    page.wait_for_timeout(300)
    registration = next(r for r in versions if r["scopeURL"] == registration_id)
    payload = {"title": "Ledsager", "body": "Du har en påmindelse i Ledsager", "url": "/reminders"}
    cdp.send("ServiceWorker.deliverPushMessage", {"origin": live_server.url,
                                                  "registrationId": registration["registrationId"],
                                                  "data": json.dumps(payload)})
    notifications = page.wait_for_function("""async () => {
        const registration = await navigator.serviceWorker.ready;
        const shown = await registration.getNotifications();
        return shown.length ? shown.map(n => ({title: n.title, body: n.body, url: n.data.url})) : null;
    }""").json_value()
    assert notifications == [{"title": "Ledsager", "body": "Du har en påmindelse i Ledsager", "url": "/reminders"}]
