/* Ledsager's service worker: wires the browser's events to the functions in the imported modules.
 * Served at /sw.js (scope "/") by server/pwa/views.py, which writes `self.LEDSAGER_ASSETS` (the
 * content-hashed URLs of the modules and the app shell, and their version) above this line; see
 * service_worker/README.md. */
importScripts.apply(self, self.LEDSAGER_ASSETS.modules);

self.addEventListener("install", function (event) {
  event.waitUntil(LedsagerCaches.precache().then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(LedsagerCaches.removeOld().then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  const answer = LedsagerStrategies.route(event);
  if (answer) { event.respondWith(answer); }
});

// Background Sync (Chromium): the browser wakes us when the network is back. A rejection tells
// it to try again later with its own back-off, as Workbox's Queue does.
self.addEventListener("sync", function (event) {
  if (event.tag !== LedsagerOutbox.SYNC_TAG) { return; }
  event.waitUntil(LedsagerOutbox.replay({ force: true }).then(function (summary) {
    if (summary.offline) { throw new Error("server unreachable; the browser retries later"); }
  }));
});

self.addEventListener("message", function (event) {
  const message = event.data || {};
  if (message.type === "replay") {
    event.waitUntil(LedsagerOutbox.replay({ force: Boolean(message.force) }));
  } else if (message.type === "logout") {
    event.waitUntil(Promise.all([LedsagerCaches.purgePages(), endPushSubscription()]));
  }
});

// Log-out on a shared phone: the next person must not get this user's reminders. The server
// deletes its copy with the log-in (server/auth/sessions.py); this ends the browser's, so the
// reminders page offers notifications afresh to whoever logs in next.
function endPushSubscription() {
  return self.registration.pushManager.getSubscription()
    .then(function (subscription) { return subscription && subscription.unsubscribe(); })
    .catch(function () { /* no push support or nothing to end */ });
}

// Web push (server/reminders/push.py): the payload carries no case details, only a short text
// and the page to open, so a notification on a locked screen reveals nothing sensitive.
self.addEventListener("push", function (event) {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = {}; }
  event.waitUntil(self.registration.showNotification(data.title || "Ledsager", {
    body: data.body || "",
    icon: self.LEDSAGER_ASSETS.icon,
    badge: self.LEDSAGER_ASSETS.icon,
    data: { url: typeof data.url === "string" && data.url.startsWith("/") ? data.url : "/" },
  }));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  const url = (event.notification.data && event.notification.data.url) || "/";
  event.waitUntil(self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
    for (const client of windows) {
      if ("focus" in client) { client.navigate(url); return client.focus(); }
    }
    return self.clients.openWindow(url);
  }));
});

// Worker start: replay what waited (Safari and Firefox have no Background Sync).
LedsagerOutbox.replay().catch(function () { return null; });
