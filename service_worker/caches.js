/* Cache names, the app shell, and the worker's pages kept for offline reading.
 * Loaded by sw.js and by the page (which purges at log-out and keeps the page list fresh). */
(function (scope) {
  "use strict";

  // The worker gets the hashed shell URLs and their version from the server (written into sw.js);
  // the page loads this file only for the pages cache, which does not depend on them.
  const ASSETS = scope.LEDSAGER_ASSETS || { version: "", shell: [] };
  const VERSION = ASSETS.version;
  const PREFIX = "ledsager-";
  const SHELL = PREFIX + "shell-" + VERSION;
  const STATIC = PREFIX + "static-" + VERSION;
  // The readable pages outlive a new version of the assets (a worker in a basement keeps them).
  const PAGES = PREFIX + "pages-v2";
  const PAGE_LIST_MAX_AGE_MS = 10 * 60 * 1000;
  const SHELL_URLS = ASSETS.shell;

  /* A URL whose `v` is a content hash names one version of the file for ever. */
  function isHashed(url) {
    return new URL(url, scope.location.origin).searchParams.has("v");
  }

  async function precache() {
    const cache = await caches.open(SHELL);
    // A hashed URL already in the browser's HTTP cache is the right version by definition (the
    // page has just loaded most of them): no second download. The few unhashed ones (/offline,
    // the manifest) are revalidated, so a new version never precaches a stale copy.
    await cache.addAll(SHELL_URLS.map(function (url) {
      return new Request(url, { cache: isHashed(url) ? "default" : "no-cache" });
    }));
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
    isHashed: isHashed, precache: precache, removeOld: removeOld, mayKeep: mayKeep, keepPage: keepPage,
    matchPage: matchPage, purgePages: purgePages, keepFor: keepFor,
    refreshPageList: refreshPageList, keptPages: keptPages,
  };
})(self);
