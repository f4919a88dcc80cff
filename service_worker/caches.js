/* Cache names, the app shell, and the worker's pages kept for offline reading.
 * Loaded by sw.js and by the page (which purges at log-out and keeps the page list fresh). */
(function (scope) {
  "use strict";

  // Bump VERSION when the shell changes: activate then deletes every other ledsager-* cache.
  const VERSION = "v2";
  const PREFIX = "ledsager-";
  const SHELL = PREFIX + "shell-" + VERSION;
  const STATIC = PREFIX + "static-" + VERSION;
  const PAGES = PREFIX + "pages-" + VERSION;
  const PAGE_LIST_MAX_AGE_MS = 10 * 60 * 1000;

  const SHELL_URLS = [
    "/offline",
    "/manifest.webmanifest",
    "/static/css/app.css",
    "/static/css/pwa.css",
    "/static/js/app.js",
    "/static/js/outbox.js",
    "/static/vendor/htmx-2.0.11.min.js",
    "/static/icons/icon-192.png",
    "/static/icons/icon-512.png",
    "/static/icons/maskable-512.png",
    "/sw/crypto.js",
    "/sw/caches.js",
    "/sw/outbox.js",
  ];

  async function precache() {
    const cache = await caches.open(SHELL);
    // cache: "reload" so a new version never precaches the browser's stale HTTP copy.
    await cache.addAll(SHELL_URLS.map(function (url) { return new Request(url, { cache: "reload" }); }));
  }

  async function removeOld() {
    const keep = [SHELL, STATIC, PAGES];
    const names = await caches.keys();
    await Promise.all(names.map(function (name) {
      return name.startsWith(PREFIX) && keep.indexOf(name) === -1 ? caches.delete(name) : null;
    }));
  }

  // --- The worker's pages ------------------------------------------------------------
  // Which pages may be kept comes from the server (GET /sync/offline-pages): Today, the list and
  // the worker's own caseload, plus the "new entry" forms under those citizens, so an entry can
  // be recorded offline. Everything else is never written to CacheStorage.

  async function pageList() {
    return scope.LedsagerOutbox.getMeta("offlinePages");
  }

  function allowedBy(list, url) {
    if (!list) { return false; }
    if (!url.search && list.pages.indexOf(url.pathname) !== -1) { return true; }
    return /\/new$/.test(url.pathname) && list.formPrefixes.some(function (prefix) {
      return url.pathname.startsWith(prefix);
    });
  }

  async function mayKeep(url) {
    const list = await pageList();
    const session = await scope.LedsagerOutbox.getMeta("session");
    return Boolean(list && session && list.userId === session.userId && !(await scope.LedsagerOutbox.getMeta("loginNeeded"))
      && allowedBy(list, url));
  }

  async function keepPage(url, response) {
    const cache = await caches.open(PAGES);
    await cache.put(url.pathname + url.search, response);
  }

  async function matchPage(url) {
    const cache = await caches.open(PAGES);
    return cache.match(url.pathname + url.search, { ignoreVary: true });
  }

  async function purgePages() {
    await caches.delete(PAGES);
    await scope.LedsagerOutbox.setMeta("offlinePages", null);
  }

  /* The pages belong to one user: another user's session (or none) purges them first. */
  async function keepFor(userId) {
    const list = await pageList();
    if (list && list.userId !== userId) { await purgePages(); }
  }

  /* Refresh the list of pages this user may keep (at most every few minutes). */
  async function refreshPageList(userId, force) {
    userId = String(userId);
    await keepFor(userId);
    const list = await pageList();
    if (!force && list && list.userId === userId && Date.now() - list.fetchedAt < PAGE_LIST_MAX_AGE_MS) {
      return list;
    }
    let response;
    try {
      response = await fetch("/sync/offline-pages", {
        credentials: "same-origin", cache: "no-store", redirect: "manual",
        headers: { "Accept": "application/json" },
      });
    } catch (e) {
      return list;
    }
    if (!response.ok) { return list; }
    const body = await response.json();
    if (String(body.user_id) !== userId) { return list; }
    const fresh = { userId: userId, pages: body.pages || [], formPrefixes: body.form_prefixes || [], fetchedAt: Date.now() };
    await scope.LedsagerOutbox.setMeta("offlinePages", fresh);
    await prune(fresh);
    return fresh;
  }

  /* A citizen who left the caseload leaves the phone too: drop kept pages no longer listed. */
  async function prune(list) {
    if (!(await caches.has(PAGES))) { return; }
    const cache = await caches.open(PAGES);
    const requests = await cache.keys();
    await Promise.all(requests.map(function (request) {
      return allowedBy(list, new URL(request.url)) ? null : cache.delete(request);
    }));
  }

  /* Which readable pages are kept (for the outbox page and tests). */
  async function keptPages() {
    if (!(await caches.has(PAGES))) { return []; }
    const cache = await caches.open(PAGES);
    return (await cache.keys()).map(function (request) { return new URL(request.url).pathname; });
  }

  scope.LedsagerCaches = {
    VERSION: VERSION, SHELL: SHELL, STATIC: STATIC, PAGES: PAGES, SHELL_URLS: SHELL_URLS,
    precache: precache, removeOld: removeOld, mayKeep: mayKeep, keepPage: keepPage,
    matchPage: matchPage, purgePages: purgePages, keepFor: keepFor,
    refreshPageList: refreshPageList, keptPages: keptPages,
  };
})(self);
