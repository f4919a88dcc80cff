/* Ledsager's service worker: wires the browser's events to the functions in the imported modules.
 * Served at /sw.js (scope "/") by server/pwa/views.py; see service_worker/README.md. */
importScripts("/sw/crypto.js", "/sw/outbox.js", "/sw/caches.js", "/sw/strategies.js");

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
    event.waitUntil(LedsagerCaches.purgePages());
  }
});

// Worker start: replay what waited (Safari and Firefox have no Background Sync).
LedsagerOutbox.replay().catch(function () { return null; });
