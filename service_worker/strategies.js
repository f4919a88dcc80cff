/* Fetch strategies, one named function each; `route` picks one per request. */
(function (scope) {
  "use strict";

  const NAVIGATION_TIMEOUT_MS = 3000;
  const Caches = function () { return scope.LedsagerCaches; };

  /* Which strategy answers this request, or null to leave it to the network untouched
   * (posts, htmx fragments, JSON, /sync/*: the outbox handles what must survive offline). */
  function route(event) {
    const request = event.request;
    if (request.method !== "GET") { return null; }
    const url = new URL(request.url);
    if (url.origin !== scope.location.origin) { return null; }
    if (request.mode === "navigate") { return networkFirstPage(event, url); }
    if (url.pathname.startsWith("/static/") || url.pathname.startsWith("/sw/")
        || url.pathname === "/manifest.webmanifest" || url.pathname === "/offline") {
      return staleWhileRevalidate(event, url);
    }
    return null;
  }

  /* Pages: the network first, a kept copy after a short wait or on failure, else /offline.
   * A fresh answer for a page of this worker's caseload replaces the kept copy. */
  async function networkFirstPage(event, url) {
    const keep = await Caches().mayKeep(url);
    const network = fetch(event.request).then(async function (response) {
      if (keep && response.status === 200 && response.type === "basic" && !response.redirected) {
        await Caches().keepPage(url, response.clone());
      }
      return response;
    });
    const timeout = new Promise(function (resolve) { setTimeout(resolve, NAVIGATION_TIMEOUT_MS, null); });
    try {
      const first = await Promise.race([network, timeout]);
      if (first) { return first; }
      const kept = await Caches().matchPage(url);
      if (kept) {
        event.waitUntil(network.catch(function () { return null; }));
        return kept;
      }
      return await network;
    } catch (error) {
      return (await Caches().matchPage(url))
        || (await caches.match("/offline", { cacheName: Caches().SHELL }))
        || Response.error();
    }
  }

  /* Static files: answer from cache at once, refresh the copy in the background. */
  async function staleWhileRevalidate(event, url) {
    const cached = await caches.match(event.request, { ignoreSearch: false });
    const network = fetch(event.request).then(async function (response) {
      if (response.ok && response.type === "basic") {
        const cache = await caches.open(Caches().SHELL_URLS.indexOf(url.pathname) !== -1 ? Caches().SHELL : Caches().STATIC);
        await cache.put(event.request, response.clone());
      }
      return response;
    });
    if (cached) {
      event.waitUntil(network.catch(function () { return null; }));
      return cached;
    }
    return network;
  }

  scope.LedsagerStrategies = { route: route, networkFirstPage: networkFirstPage, staleWhileRevalidate: staleWhileRevalidate };
})(self);
