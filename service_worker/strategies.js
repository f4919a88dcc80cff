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
    const file = url.pathname.startsWith("/static/") || url.pathname.startsWith("/sw/");
    if (file && Caches().isHashed(url)) { return cacheFirst(event, url); }
    if (file || url.pathname === "/manifest.webmanifest" || url.pathname === "/offline") {
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

  /* Content-hashed files: a kept copy is the right one for ever, so it answers with no network.
   * A miss is fetched and kept (only what the server marks immutable). Offline, a page kept
   * under an older version of the assets gets the current version of the same file. */
  async function cacheFirst(event, url) {
    const cached = await caches.match(event.request);
    if (cached) { return cached; }
    let response;
    try {
      response = await fetch(event.request);
    } catch (error) {
      return (await caches.match(event.request, { ignoreSearch: true })) || Response.error();
    }
    if (response.ok && response.type === "basic"
        && /immutable/.test(response.headers.get("Cache-Control") || "")) {
      const copy = response.clone();
      event.waitUntil(caches.open(Caches().STATIC).then(function (cache) { return cache.put(event.request, copy); }));
    }
    return response;
  }

  /* Unhashed files (the manifest, /offline, an old URL): answer from cache at once, refresh the
   * copy in the background (a revalidation: 304 when unchanged). */
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

  scope.LedsagerStrategies = {
    route: route, networkFirstPage: networkFirstPage, cacheFirst: cacheFirst, staleWhileRevalidate: staleWhileRevalidate,
  };
})(self);
