/* The outbox: entries written on the phone, kept encrypted in IndexedDB until the server has them.
 *
 * One module, loaded by the service worker (Background Sync, worker start) and by the page
 * (write-ahead on submit, page load, `online`, visibility, timer). A Web Lock makes sure only
 * one of them replays at a time; the server's idempotent insert makes a double send harmless.
 *
 * Replay rules (Workbox's Queue: oldest first, stop and back off when the server is unreachable;
 * four sends in flight, entries re-read and results written back in batches of BATCH_SIZE):
 *   201 stored / 200 duplicate  -> delete the entry
 *   409 conflict                -> keep, status "conflict", shown on the outbox page
 *   422 invalid (and other 4xx) -> keep, status "invalid" with the field errors, shown for fixing
 *   401 / 403 / a redirect      -> keep, ask to log in, replay after the next log-in
 *   400 CSRF                    -> fetch a fresh token and try once more
 *   5xx / 408 / 429 / network   -> keep, back off exponentially
 */
(function (scope) {
  "use strict";

  const DB_NAME = "ledsager";
  const DB_VERSION = 1;
  const LOCK_NAME = "ledsager-outbox";
  const CHANNEL_NAME = "ledsager-outbox";
  const SYNC_TAG = "ledsager-outbox";
  const DAY_MS = 24 * 60 * 60 * 1000;
  const BACKOFF_FIRST_MS = 2000;
  const BACKOFF_MAX_MS = 5 * 60 * 1000;
  const DEFAULT_MAX_AGE_DAYS = 30;
  const PARALLEL_SENDS = 4;
  // Entries are re-read, and their results written back and announced, this many at a time:
  // one IndexedDB transaction and one message per batch instead of one per entry.
  const BATCH_SIZE = 16;

  const STATUS = { WAITING: "waiting", CONFLICT: "conflict", INVALID: "invalid", EXPIRED: "expired" };

  // --- IndexedDB ---------------------------------------------------------------
  let dbPromise = null;

  function openDb() {
    if (dbPromise) { return dbPromise; }
    dbPromise = new Promise(function (resolve, reject) {
      const request = indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = function () {
        const db = request.result;
        db.createObjectStore("keys", { keyPath: "userId" });
        db.createObjectStore("entries", { keyPath: "clientId" }).createIndex("userId", "userId");
        db.createObjectStore("meta", { keyPath: "name" });
      };
      request.onsuccess = function () {
        const db = request.result;
        db.onversionchange = function () { db.close(); dbPromise = null; };
        resolve(db);
      };
      request.onerror = function () { dbPromise = null; reject(request.error); };
    });
    return dbPromise;
  }

  // Run `body(transaction)` and resolve with the result of the request it returns, once the
  // transaction has committed (not merely when the request succeeded).
  async function run(stores, mode, body) {
    const db = await openDb();
    return new Promise(function (resolve, reject) {
      const transaction = db.transaction(stores, mode);
      let result;
      transaction.oncomplete = function () { resolve(result); };
      transaction.onerror = function () { reject(transaction.error); };
      transaction.onabort = function () { reject(transaction.error || new Error("transaction aborted")); };
      const request = body(transaction);
      if (request) { request.onsuccess = function () { result = request.result; }; }
    });
  }

  function getMeta(name) {
    return run(["meta"], "readonly", function (t) { return t.objectStore("meta").get(name); })
      .then(function (row) { return row ? row.value : undefined; });
  }

  function setMeta(name, value) {
    return run(["meta"], "readwrite", function (t) { return t.objectStore("meta").put({ name: name, value: value }); });
  }

  function records(userId) {
    return run(["entries"], "readonly", function (t) {
      return t.objectStore("entries").index("userId").getAll(String(userId));
    }).then(function (rows) {
      return (rows || []).sort(function (a, b) { return a.createdAt - b.createdAt; });
    });
  }

  // The current rows of these entries (undefined where gone), read in one transaction.
  function recordsById(clientIds) {
    const found = new Array(clientIds.length);
    return run(["entries"], "readonly", function (t) {
      const store = t.objectStore("entries");
      clientIds.forEach(function (clientId, i) {
        store.get(clientId).onsuccess = function (event) { found[i] = event.target.result; };
      });
    }).then(function () { return found; });
  }

  /* Apply several replay results in one transaction. Each change only applies if nobody
   * replaced the entry meanwhile (same rev); `changes: null` deletes it. */
  function updateRecords(items) {
    return run(["entries"], "readwrite", function (t) {
      const store = t.objectStore("entries");
      items.forEach(function (item) {
        store.get(item.clientId).onsuccess = function (event) {
          const row = event.target.result;
          if (!row || row.rev !== item.rev) { return; }
          if (item.changes === null) { store.delete(item.clientId); } else { store.put(Object.assign(row, item.changes)); }
        };
      });
    });
  }

  function updateRecord(clientId, rev, changes) {
    // Only if nobody replaced the entry meanwhile (a corrected version has a new rev).
    return run(["entries"], "readwrite", function (t) {
      const store = t.objectStore("entries");
      const request = store.get(clientId);
      request.onsuccess = function () {
        const row = request.result;
        if (!row || (rev && row.rev !== rev)) { return; }
        if (changes === null) { store.delete(clientId); } else { store.put(Object.assign(row, changes)); }
      };
    });
  }

  // --- Keys: one per user, generated on the phone, never exported ----------------
  async function keyFor(userId) {
    userId = String(userId);
    const get = function () {
      return run(["keys"], "readonly", function (t) { return t.objectStore("keys").get(userId); });
    };
    const found = await get();
    if (found) { return found.key; }
    const key = await scope.LedsagerCrypto.newKey();
    try {
      await run(["keys"], "readwrite", function (t) {
        return t.objectStore("keys").add({ userId: userId, key: key, createdAt: Date.now() });
      });
      return key;
    } catch (error) {
      const other = await get(); // another tab made the key at the same moment: use that one
      if (other) { return other.key; }
      throw error;
    }
  }

  function newRev() {
    return Math.random().toString(36).slice(2) + Date.now().toString(36);
  }

  // --- Telling pages what changed -------------------------------------------------
  const listeners = [];
  let channel = null;
  try { channel = new BroadcastChannel(CHANNEL_NAME); } catch (e) { channel = null; }

  function announce(message) {
    listeners.forEach(function (fn) { try { fn(message); } catch (e) { /* a listener's bug is its own */ } });
    if (channel) { channel.postMessage(message); }
  }

  function subscribe(fn) {
    listeners.push(fn);
    if (channel) { channel.addEventListener("message", function (event) { fn(event.data); }); }
  }

  // --- Writing and reading entries -----------------------------------------------
  /* Write-ahead: the entry is on the phone, encrypted, before any attempt to send it.
   * entry: {clientId, userId, kind, url, body (urlencoded), recordedAt, label, summary, pageUrl,
   *         replaces (optional clientId this corrected entry supersedes)} */
  async function add(entry) {
    const userId = String(entry.userId);
    const key = await keyFor(userId);
    const secret = {
      url: entry.url, body: entry.body, recordedAt: entry.recordedAt,
      label: entry.label || "", summary: entry.summary || "", pageUrl: entry.pageUrl || "",
    };
    const sealed = await scope.LedsagerCrypto.seal(key, secret, userId, entry.clientId);
    // Only what the outbox needs to schedule and count stays readable; the rest is sealed.
    const row = {
      clientId: entry.clientId, userId: userId, kind: entry.kind, status: STATUS.WAITING,
      attempts: 0, createdAt: Date.now(), rev: newRev(), errors: null, reviewed: false, sealed: sealed,
    };
    await run(["entries"], "readwrite", function (t) {
      const store = t.objectStore("entries");
      if (entry.replaces && entry.replaces !== entry.clientId) { store.delete(entry.replaces); }
      return store.put(row);
    });
    announce({ type: "changed" });
    return row;
  }

  async function list(userId) {
    const rows = await records(userId);
    if (!rows.length) { return []; }
    const key = await keyFor(userId);
    const maxAge = await maxAgeMs();
    return Promise.all(rows.map(async function (row) {
      let data = null;
      try { data = await scope.LedsagerCrypto.open(key, row.sealed, row.userId, row.clientId); } catch (e) { data = null; }
      return {
        clientId: row.clientId, kind: row.kind, status: effectiveStatus(row, maxAge), attempts: row.attempts,
        createdAt: row.createdAt, errors: row.errors, unreadable: data === null,
        url: data && data.url, body: data && data.body, recordedAt: data && data.recordedAt,
        label: data && data.label, summary: data && data.summary, pageUrl: data && data.pageUrl,
      };
    }));
  }

  async function counts(userId) {
    const rows = userId ? await records(userId) : [];
    const maxAge = await maxAgeMs();
    const result = { total: rows.length, waiting: 0, conflict: 0, invalid: 0, expired: 0 };
    rows.forEach(function (row) { result[effectiveStatus(row, maxAge)] += 1; });
    result.loginNeeded = Boolean(await getMeta("loginNeeded"));
    return result;
  }

  async function get(userId, clientId) {
    const all = await list(userId);
    return all.find(function (entry) { return entry.clientId === clientId; }) || null;
  }

  async function discard(clientId) {
    await updateRecord(clientId, null, null);
    announce({ type: "changed" });
  }

  async function resend(clientId) {
    // Expired entries wait for the worker's "send anyway"; rejected ones after a fix.
    await updateRecord(clientId, null, { status: STATUS.WAITING, reviewed: true, attempts: 0, errors: null });
    announce({ type: "changed" });
  }

  async function maxAgeMs() {
    const session = await getMeta("session");
    return ((session && session.maxAgeDays) || DEFAULT_MAX_AGE_DAYS) * DAY_MS;
  }

  function effectiveStatus(row, maxAge) {
    if (row.status === STATUS.WAITING && !row.reviewed && Date.now() - row.createdAt > maxAge) {
      return STATUS.EXPIRED;
    }
    return row.status;
  }

  // --- Replay --------------------------------------------------------------------
  const results = {}; // clientId -> {outcome, redirect}: lets the page tell its own entry's fate
  let running = null;
  let runningLocked = null;
  let again = false;

  /* Replay this user's waiting entries. Calls while one runs in this context join it (and make
   * it look once more at the end); across tabs and the worker the Web Lock serialises. */
  function replay(options) {
    options = options || {};
    // `onLocked` runs once this context holds the lock (or has given up on it): the page
    // registers Background Sync only then, so the worker's sync queues behind the page's own
    // first attempt instead of racing it for the lock.
    const onLocked = options.onLocked || function () { return null; };
    if (running) { again = true; runningLocked.then(onLocked); return running; }
    let markLocked;
    runningLocked = new Promise(function (resolve) { markLocked = resolve; });
    runningLocked.then(onLocked);
    running = (async function () {
      let summary;
      do {
        again = false;
        summary = await withLock(function () { markLocked(); return pass(options); });
      } while (again && !summary.offline && !summary.loginNeeded);
      return summary;
    })().finally(function () { markLocked(); running = null; });
    return running;
  }

  function withLock(fn) {
    const locks = scope.navigator && scope.navigator.locks;
    return locks ? locks.request(LOCK_NAME, fn) : fn();
  }

  async function pass(options) {
    const summary = { stored: 0, duplicate: 0, kept: 0, offline: false, loginNeeded: false, skipped: false };
    const backoff = (await getMeta("backoff")) || { until: 0, step: 0 };
    if (!options.force && Date.now() < backoff.until) { summary.skipped = true; return summary; }

    // Never trust navigator.onLine: asking the server for a token is the probe.
    const session = await fetchSession();
    if (session.offline) { await backOff(backoff); summary.offline = true; return summary; }
    if (session.loginNeeded) { await signedOut(); summary.loginNeeded = true; return summary; }
    await signedIn(session);

    const userId = String(session.user_id);
    const maxAge = (session.max_age_days || DEFAULT_MAX_AGE_DAYS) * DAY_MS;
    const rows = (await records(userId)).filter(function (row) {
      return effectiveStatus(row, maxAge) === STATUS.WAITING;
    });
    const state = { token: session.csrf_token, key: await keyFor(userId), stop: null };
    const queue = rereader(rows);
    const writer = resultWriter();
    // A few sends in flight at once (entries are independent; the server stores each UUID once).
    // The first network or session failure stops every lane, as Workbox's Queue stops its loop.
    async function lane() {
      while (!state.stop) {
        const current = await queue.next();
        if (current === undefined || state.stop) { return; }
        if (current === null) { continue; } // delivered, discarded or corrected elsewhere meanwhile
        const result = await deliver(current, state, summary, writer);
        if (result === "login" || result === "retry") { state.stop = state.stop || result; }
      }
    }
    const lanes = [];
    for (let i = 0; i < PARALLEL_SENDS; i += 1) { lanes.push(lane()); }
    const ended = await Promise.allSettled(lanes);
    await writer.flush(); // what the server said is on the phone before the lock is let go
    ended.forEach(function (lane) { if (lane.status === "rejected") { throw lane.reason; } });
    if (state.stop === "login") { await signedOut(); summary.loginNeeded = true; }
    else if (state.stop === "retry") { await backOff(backoff); summary.offline = true; }
    else { await setMeta("backoff", { until: 0, step: 0 }); }
    announce({ type: "changed" });
    return summary;
  }

  /* The waiting rows, oldest first, each re-read just before it is sent (BATCH_SIZE per
   * transaction) so an entry delivered, discarded or corrected meanwhile is skipped: next()
   * gives the current row, null for one to skip, undefined when none are left. */
  function rereader(rows) {
    let taken = 0;
    let loaded = 0;
    let loading = null;
    const current = {};
    async function load() {
      const batch = rows.slice(loaded, loaded + BATCH_SIZE);
      const found = await recordsById(batch.map(function (row) { return row.clientId; }));
      batch.forEach(function (row, i) {
        const now = found[i];
        current[row.clientId] = now && now.rev === row.rev && now.status === STATUS.WAITING ? now : null;
      });
      loaded += batch.length;
    }
    return {
      next: async function () {
        if (taken >= rows.length) { return undefined; }
        const row = rows[taken];
        taken += 1;
        while (!(row.clientId in current)) {
          loading = loading || load().finally(function () { loading = null; });
          await loading;
        }
        const now = current[row.clientId];
        delete current[row.clientId];
        return now;
      },
    };
  }

  /* Results are written to IndexedDB and announced BATCH_SIZE at a time, in the order they were
   * added, one transaction and one message per batch. An entry the server has stored stays on
   * the phone until its batch is written: the Web Lock is held until then, and a resend after a
   * crash is answered "duplicate" by the server, so it is still stored exactly once. */
  function resultWriter() {
    let pending = [];
    let written = Promise.resolve();
    async function write(items) {
      await updateRecords(items);
      const told = {};
      let any = false;
      items.forEach(function (item) {
        if (item.result) { results[item.clientId] = item.result; told[item.clientId] = item.result; any = true; }
      });
      // With the results, so a page whose entry another context sent (the service worker's
      // sync, another tab) still learns what the server said about it.
      if (any) { announce({ type: "changed", results: told }); }
    }
    function flush() {
      const items = pending;
      pending = [];
      if (items.length) { written = written.then(function () { return write(items); }); }
      return written;
    }
    return {
      add: function (item) {
        pending.push(item);
        if (pending.length >= BATCH_SIZE) { flush().catch(function () { return null; }); }
      },
      flush: flush,
    };
  }

  /* Send one entry and record what the server said; "login" or "retry" stops the pass. */
  async function deliver(current, state, summary, writer) {
    let outcome = await send(current, state.token, state.key);
    if (outcome.kind === "csrf") {
      const fresh = await fetchSession();
      if (fresh.offline || fresh.loginNeeded) { outcome = { kind: fresh.offline ? "retry" : "login" }; }
      else { state.token = fresh.csrf_token; outcome = await send(current, state.token, state.key); }
      if (outcome.kind === "csrf") { outcome = { kind: "retry" }; }
    }
    const item = { clientId: current.clientId, rev: current.rev };
    if (outcome.kind === "saved") {
      summary[outcome.status === "duplicate" ? "duplicate" : "stored"] += 1;
      writer.add(Object.assign(item, {
        changes: null, result: { outcome: outcome.status, redirect: outcome.redirect, message: outcome.message },
      }));
      return "saved";
    }
    if (outcome.kind === "rejected") {
      summary.kept += 1;
      writer.add(Object.assign(item, {
        changes: { status: outcome.status, errors: outcome.errors, attempts: current.attempts + 1 },
        result: { outcome: outcome.status, errors: outcome.errors },
      }));
      return "rejected";
    }
    // Server or network trouble, or a lost session: this entry stays, as it was.
    writer.add(Object.assign(item, { changes: { attempts: current.attempts + 1 }, result: null }));
    return outcome.kind === "login" ? "login" : "retry";
  }

  async function fetchSession() {
    let response;
    try {
      response = await fetch("/sync/token", {
        credentials: "same-origin", cache: "no-store", redirect: "manual",
        headers: { "Accept": "application/json" },
      });
    } catch (e) {
      return { offline: true };
    }
    if (response.status === 401 || response.status === 403 || response.type === "opaqueredirect") {
      return { loginNeeded: true };
    }
    if (!response.ok) { return { offline: true }; }
    try { return await response.json(); } catch (e) { return { offline: true }; }
  }

  async function send(row, token, key) {
    let data;
    try {
      data = await scope.LedsagerCrypto.open(key, row.sealed, row.userId, row.clientId);
    } catch (e) {
      return { kind: "rejected", status: STATUS.INVALID, errors: { "": ["unreadable"] } };
    }
    let response;
    try {
      response = await fetch(data.url, {
        method: "POST", credentials: "same-origin", cache: "no-store", redirect: "manual",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          "Accept": "application/json",
          "X-CSRFToken": token,
        },
        body: data.body,
      });
    } catch (e) {
      return { kind: "retry" };
    }
    const status = response.status;
    if (response.type === "opaqueredirect" || status === 401 || status === 403) { return { kind: "login" }; }
    let body = {};
    try { body = await response.json(); } catch (e) { body = null; }
    if (status === 200 || status === 201) {
      // Only the outbox's JSON answer counts as stored; a 2xx page would be a silent loss.
      if (body && (body.status === "stored" || body.status === "duplicate")) {
        return { kind: "saved", status: body.status, redirect: body.redirect, message: body.message };
      }
      return { kind: "rejected", status: STATUS.INVALID, errors: { "": [String(status)] } };
    }
    if (status === 400 && body && body.reason === "csrf") { return { kind: "csrf" }; }
    if (status === 409) {
      return { kind: "rejected", status: STATUS.CONFLICT, errors: { "": [(body && body.error) || "409"] } };
    }
    if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
      const errors = (body && body.errors) || { "": [(body && body.error) || String(status)] };
      return { kind: "rejected", status: STATUS.INVALID, errors: errors };
    }
    return { kind: "retry" };
  }

  async function backOff(previous) {
    const step = Math.min((previous.step || 0) + 1, 10);
    const delay = Math.min(BACKOFF_FIRST_MS * Math.pow(2, step - 1), BACKOFF_MAX_MS);
    const jitter = Math.random() * delay * 0.2;
    await setMeta("backoff", { until: Date.now() + delay + jitter, step: step });
  }

  async function signedIn(session) {
    const before = await getMeta("session");
    if (!before || before.userId !== String(session.user_id) || before.maxAgeDays !== session.max_age_days) {
      await setMeta("session", { userId: String(session.user_id), maxAgeDays: session.max_age_days });
    }
    if (await getMeta("loginNeeded")) {
      await setMeta("loginNeeded", false);
      announce({ type: "changed" });
    }
    if (scope.LedsagerCaches) { await scope.LedsagerCaches.keepFor(String(session.user_id)); }
  }

  async function signedOut() {
    // The entries stay, sealed, for the same user's next log-in; the readable pages go.
    await setMeta("loginNeeded", true);
    if (scope.LedsagerCaches) { await scope.LedsagerCaches.purgePages(); }
    announce({ type: "changed" });
    announce({ type: "login-needed" });
  }

  /* When the next timed replay is due: now while entries wait, later after a failure. */
  async function nextReplayDelay(userId, waiting) {
    if (waiting === undefined) { waiting = (await counts(userId)).waiting; }
    if (!waiting) { return null; }
    const backoff = (await getMeta("backoff")) || { until: 0 };
    return Math.max(backoff.until - Date.now(), 1000);
  }

  scope.LedsagerOutbox = {
    STATUS: STATUS, SYNC_TAG: SYNC_TAG,
    add: add, list: list, counts: counts, get: get, discard: discard, resend: resend,
    replay: replay, results: results, subscribe: subscribe, announce: announce,
    nextReplayDelay: nextReplayDelay, getMeta: getMeta, setMeta: setMeta, openDb: openDb,
  };
})(self);
