/* The page side of the offline outbox: service worker registration, write-ahead of
 * <form data-outbox> entries, the waiting count, the outbox page, and a guarded log-out.
 * The outbox itself (IndexedDB, encryption, replay rules) is service_worker/outbox.js, loaded
 * here too so the page can save and send without waiting for the service worker. */
(function () {
  "use strict";

  // Content-hashed URLs from base.html (server/pwa/assets.py), so the browser keeps them for good.
  const SELF = document.currentScript;
  const CORE_SCRIPTS = SELF && SELF.dataset.modules ? JSON.parse(SELF.dataset.modules)
    : ["/sw/crypto.js", "/sw/outbox.js", "/sw/caches.js"];
  const PWA_CSS = (SELF && SELF.dataset.pwaCss) || "/static/css/pwa.css";
  const SEND_WAIT_MS = 8000;
  // The announcement of an entry another context sent arrives just after that context's pass.
  const ELSEWHERE_WAIT_MS = 2000;
  const TIMER_MAX_MS = 60000;
  const REDRAW_MS = 500;
  const FLASH_KEY = "ledsager-flash";

  const TEXT = {
    da: {
      saving: "Gemmer …",
      saved: "Gemt",
      queued: "Gemt på telefonen – sendes når der er net",
      queuedLogin: "Gemt på telefonen – log ind igen, så bliver det sendt",
      invalid: "Ikke sendt: ret det markerede. Posten venter på telefonen imens.",
      conflict: "Der findes allerede en anden post med samme id. Posten er gemt på telefonen; se udbakken.",
      notStored: "Telefonen kunne ikke gemme posten. Den sendes direkte i stedet.",
      waiting: function (n) { return n === 1 ? "1 post venter på at blive sendt" : n + " poster venter på at blive sendt"; },
      problems: function (n) { return n === 1 ? "1 post skal ses igennem" : n + " poster skal ses igennem"; },
      none: "Ingen poster venter. Alt er sendt.",
      loginNeeded: "Log ind igen, så bliver de gemte poster sendt.",
      logIn: "Log ind",
      kinds: {
        contact: "Kontakt", attempt: "Forsøgt, ikke truffet", reminder: "Påmindelse",
        reminder_done: "Påmindelse udført", appointment: "Aftale / ledsagelse", appointment_outcome: "Udfald af aftale",
      },
      statuses: { waiting: "Venter", conflict: "Konflikt", invalid: "Skal rettes", expired: "Gammel – se den igennem" },
      recorded: "Registreret",
      unreadable: "Kan ikke læses på denne telefon",
      logoutTitle: "Der er poster, som ikke er sendt",
      logoutText: function (n) {
        return (n === 1 ? "1 post" : n + " poster") + " er kun gemt på telefonen. Send dem først, eller log ud alligevel: " +
          "de bliver liggende sikkert (krypteret) på telefonen og sendes, når du logger ind igen.";
      },
      sendFirst: "Send først",
      logoutAnyway: "Log ud alligevel",
      cancel: "Annullér",
      installHint: "Installér Ledsager på iPhone: tryk på Del og derefter »Føj til hjemmeskærm«. Så bliver det gemte på telefonen.",
      close: "Luk",
    },
    en: {
      saving: "Saving …",
      saved: "Saved",
      queued: "Saved on this phone – will be sent when there is a connection",
      queuedLogin: "Saved on this phone – log in again and it will be sent",
      invalid: "Not sent: correct the marked fields. The entry waits on this phone meanwhile.",
      conflict: "Another entry with the same id exists. The entry is kept on this phone; see the outbox.",
      notStored: "This phone could not store the entry. It is sent directly instead.",
      waiting: function (n) { return n === 1 ? "1 entry waiting to be sent" : n + " entries waiting to be sent"; },
      problems: function (n) { return n === 1 ? "1 entry needs review" : n + " entries need review"; },
      none: "Nothing is waiting. Everything has been sent.",
      loginNeeded: "Log in again and the saved entries will be sent.",
      logIn: "Log in",
      kinds: {
        contact: "Contact", attempt: "Tried, not reached", reminder: "Reminder",
        reminder_done: "Reminder done", appointment: "Appointment / accompaniment", appointment_outcome: "Appointment outcome",
      },
      statuses: { waiting: "Waiting", conflict: "Conflict", invalid: "Needs correcting", expired: "Old – please review" },
      recorded: "Recorded",
      unreadable: "Cannot be read on this phone",
      logoutTitle: "Some entries have not been sent",
      logoutText: function (n) {
        return (n === 1 ? "1 entry is" : n + " entries are") + " saved only on this phone. Send first, or log out anyway: " +
          "they stay safely (encrypted) on this phone and are sent after you log in again.";
      },
      sendFirst: "Send first",
      logoutAnyway: "Log out anyway",
      cancel: "Cancel",
      installHint: "Install Ledsager on iPhone: tap Share, then “Add to Home Screen”. Then saved entries stay on the phone.",
      close: "Close",
    },
  };
  const t = TEXT[(document.documentElement.lang || "da").slice(0, 2)] || TEXT.da;

  function supported() {
    return Boolean(window.indexedDB && window.crypto && crypto.subtle && crypto.randomUUID);
  }

  function currentUserId() {
    return document.body ? (document.body.dataset.userId || "") : "";
  }

  // --- Loading the shared outbox modules ------------------------------------------
  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      const script = document.createElement("script");
      script.src = src;
      script.async = false; // keep the order: crypto, outbox, caches
      script.addEventListener("load", resolve);
      script.addEventListener("error", function () { reject(new Error("could not load " + src)); });
      document.head.appendChild(script);
    });
  }

  function loadStylesheet() {
    if (document.querySelector('link[href="' + PWA_CSS + '"]')) { return; }
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = PWA_CSS;
    document.head.appendChild(link);
  }

  const ready = supported()
    ? Promise.all(CORE_SCRIPTS.map(loadScript)).then(function () { return window.LedsagerOutbox; })
    : Promise.reject(new Error("no IndexedDB or WebCrypto"));
  ready.catch(function () { return null; });

  function registerServiceWorker() {
    if (!("serviceWorker" in navigator)) { return; }
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () { return null; });
  }

  function askForBackgroundSync() {
    if (!("serviceWorker" in navigator)) { return; }
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.sync) { return registration.sync.register("ledsager-outbox"); }
      return null;
    }).catch(function () { return null; });
  }

  // --- The waiting count on every page ---------------------------------------------
  async function showCounts() {
    const outbox = await ready;
    const counts = await outbox.counts(currentUserId());
    const open = counts.waiting + counts.expired;
    const problems = counts.conflict + counts.invalid;
    const total = counts.total;
    document.querySelectorAll("[data-outbox-count]").forEach(function (badge) {
      badge.hidden = total === 0;
      badge.dataset.outboxProblems = String(problems);
      const label = problems ? t.waiting(total) + ", " + t.problems(problems).toLowerCase() : t.waiting(total);
      badge.setAttribute("aria-label", label);
    });
    document.querySelectorAll("[data-outbox-number]").forEach(function (el) { el.textContent = String(total); });
    document.querySelectorAll("[data-outbox-summary]").forEach(function (el) {
      const parts = [];
      if (open) { parts.push(t.waiting(open)); }
      if (problems) { parts.push(t.problems(problems)); }
      if (counts.loginNeeded && total) { parts.push(t.loginNeeded); }
      el.textContent = parts.join(". ");
      el.hidden = total === 0;
    });
    showLoginBanner(counts.loginNeeded && total > 0);
    scheduleTimer(open, counts.waiting);
    return counts;
  }

  // The session ended with entries waiting: ask for a log-in on every page, not only the outbox.
  function showLoginBanner(show) {
    let banner = document.querySelector("[data-outbox-login-banner]");
    const main = document.querySelector("main");
    if (!show || !main || document.querySelector("[data-outbox-login]")) {
      if (banner) { banner.remove(); }
      return;
    }
    if (banner) { return; }
    loadStylesheet();
    banner = document.createElement("p");
    banner.className = "outbox-note outbox-note-bad";
    banner.setAttribute("data-outbox-login-banner", "");
    banner.setAttribute("role", "alert");
    const link = document.createElement("a");
    link.href = "/login?next=" + encodeURIComponent(location.pathname);
    link.textContent = t.logIn;
    banner.append(document.createTextNode(t.loginNeeded + " "), link);
    main.insertBefore(banner, main.firstChild);
  }

  // While entries wait, try again on a timer (after the back-off, at most a minute apart).
  let timer = null;
  async function scheduleTimer(open, waiting) {
    clearTimeout(timer);
    if (!open) { return; }
    const outbox = await ready;
    const delay = await outbox.nextReplayDelay(currentUserId(), waiting);
    if (delay === null) { return; }
    timer = setTimeout(function () { replay(false); }, Math.min(delay, TIMER_MAX_MS));
  }

  async function replay(force) {
    if (!currentUserId()) { return null; }
    const outbox = await ready;
    const summary = await outbox.replay({ force: force });
    await showCounts();
    return summary;
  }

  // --- Forms with data-outbox --------------------------------------------------------
  function freshId(form) {
    if (!supported()) { return; } // no secure context: the server makes the id on a plain post
    const input = form.querySelector("[data-client-id]");
    if (input) { input.value = crypto.randomUUID(); }
  }

  function prepareForms(root) {
    if (!supported()) { return; }
    root.querySelectorAll("form[data-outbox]").forEach(function (form) {
      const input = form.querySelector("[data-client-id]");
      // A value from the server belongs to this very entry (a form shown again with errors).
      if (input && !input.value) { input.value = crypto.randomUUID(); }
    });
  }

  function note(form, text, tone) {
    let box = form.querySelector("[data-outbox-note]");
    if (!box) {
      box = document.createElement("p");
      box.setAttribute("data-outbox-note", "");
      box.setAttribute("role", "status");
      form.insertBefore(box, form.firstChild);
    }
    box.className = "outbox-note" + (tone ? " outbox-note-" + tone : "");
    box.textContent = text;
    box.hidden = !text;
  }

  function clearFieldErrors(form) {
    form.querySelectorAll("[data-outbox-error]").forEach(function (el) { el.remove(); });
    form.querySelectorAll("[aria-invalid][data-outbox-invalid]").forEach(function (el) {
      el.removeAttribute("aria-invalid");
      el.removeAttribute("data-outbox-invalid");
    });
  }

  function showFieldErrors(form, errors) {
    clearFieldErrors(form);
    let unplaced = [];
    Object.keys(errors || {}).forEach(function (name) {
      const messages = errors[name] || [];
      const field = name ? form.querySelector('[name="' + CSS.escape(name) + '"]:not([type=hidden])') : null;
      if (!field) { unplaced = unplaced.concat(messages); return; }
      const holder = field.closest(".field, fieldset, .field-check") || field;
      const message = document.createElement("p");
      message.className = "error";
      message.setAttribute("data-outbox-error", "");
      message.id = "outbox-error-" + name;
      message.textContent = messages.join(" ");
      holder.appendChild(message);
      form.querySelectorAll('[name="' + CSS.escape(name) + '"]').forEach(function (input) {
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("data-outbox-invalid", "");
        input.setAttribute("aria-describedby", message.id);
      });
    });
    return unplaced;
  }

  function citizenLabel(form) {
    if (form.dataset.outboxLabel) { return form.dataset.outboxLabel; }
    const heading = document.querySelector("main h1");
    return heading ? heading.textContent.trim() : document.title;
  }

  function summarize(form) {
    // A short reminder of what the entry was, for the outbox page: the first text typed.
    const text = form.querySelector("textarea, input[type=text]");
    const value = text && text.value ? text.value.trim() : "";
    return value.length > 80 ? value.slice(0, 77) + "…" : value;
  }

  function formBody(form, submitter) {
    let data;
    try { data = new FormData(form, submitter || undefined); } catch (e) { data = new FormData(form); }
    const fields = new URLSearchParams();
    data.forEach(function (value, name) {
      // The stored token ages; replays send a fresh one in the X-CSRFToken header instead.
      if (name !== "csrf_token" && typeof value === "string") { fields.append(name, value); }
    });
    return fields.toString();
  }

  async function submitEntry(event) {
    const form = event.target;
    const userId = currentUserId();
    if (!userId || !supported()) { return; } // a plain post: the server fills in id and time
    event.preventDefault();
    event.stopPropagation(); // htmx or other listeners must not post it a second time
    if (form.dataset.outboxBusy) { return; }
    form.dataset.outboxBusy = "1";
    note(form, t.saving, "");
    try {
      const outbox = await ready;
      const idInput = form.querySelector("[data-client-id]");
      if (idInput && !idInput.value) { idInput.value = crypto.randomUUID(); }
      const timeInput = form.querySelector("[data-recorded-at]");
      // A corrected entry keeps the time it was first recorded; a new one gets "now".
      const recordedAt = form.dataset.outboxKeepTime && timeInput && timeInput.value
        ? timeInput.value : new Date().toISOString();
      if (timeInput) { timeInput.value = recordedAt; }
      const clientId = idInput ? idInput.value : crypto.randomUUID();
      const action = new URL(form.getAttribute("action") || location.href, location.href);
      await outbox.add({
        clientId: clientId, userId: userId, kind: form.dataset.outbox,
        url: action.pathname + action.search, body: formBody(form, event.submitter),
        recordedAt: recordedAt, label: citizenLabel(form), summary: summarize(form),
        pageUrl: location.pathname + location.search, replaces: form.dataset.outboxReplaces || null,
      });
      delete form.dataset.outboxReplaces;
      delete form.dataset.outboxKeepTime;
      const waited = new Promise(function (resolve) { setTimeout(resolve, SEND_WAIT_MS, null); });
      // Background Sync is registered once this page holds the replay lock: the worker's sync
      // then sends only what this page's own attempt left waiting.
      const sending = outbox.replay({ force: true, onLocked: askForBackgroundSync });
      const summary = await Promise.race([sending, waited]);
      // Another context may have held the replay lock first and sent this entry (the service
      // worker's start-up replay, another tab): wait for its announcement.
      if (summary !== null && !summary.offline && !summary.loginNeeded && !outbox.results[clientId]) {
        await resultFromElsewhere(outbox, clientId);
      }
      await afterSend(form, outbox, clientId, summary);
      if (summary === null) { lateAnswer(form, outbox, clientId, sending); }
    } catch (error) {
      // Storage refused (private mode, full disk): never lose the entry, post it the old way.
      delete form.dataset.outboxBusy;
      note(form, t.notStored, "bad");
      HTMLFormElement.prototype.submit.call(form);
      return;
    }
    delete form.dataset.outboxBusy;
    showCounts();
  }

  async function afterSend(form, outbox, clientId, summary) {
    const result = outbox.results[clientId];
    if (result && (result.outcome === "stored" || result.outcome === "duplicate")) {
      note(form, t.saved, "ok");
      if (result.redirect) {
        try { sessionStorage.setItem(FLASH_KEY, result.message || t.saved); } catch (e) { /* private mode */ }
        window.location.assign(result.redirect);
        return;
      }
      form.reset();
      freshId(form);
      return;
    }
    if (result && result.outcome === "invalid") {
      const unplaced = showFieldErrors(form, result.errors);
      note(form, [t.invalid].concat(unplaced).join(" "), "bad");
      return; // same id: the corrected entry replaces the kept one
    }
    if (result && result.outcome === "conflict") {
      note(form, t.conflict, "bad");
      form.dataset.outboxReplaces = clientId;
      freshId(form);
      return;
    }
    // Still waiting: no network, server trouble or a lost session. It is safe on the phone.
    clearFieldErrors(form);
    note(form, summary && summary.loginNeeded ? t.queuedLogin : t.queued, "");
    form.reset();
    freshId(form);
  }

  /* A slow server answered after we said "saved on the phone": if the worker has not started
   * on the next entry, act on the answer as if it had come in time. */
  function resultFromElsewhere(outbox, clientId) {
    return new Promise(function (resolve) {
      const timer = setTimeout(resolve, ELSEWHERE_WAIT_MS);
      outbox.subscribe(function (message) {
        if (announcedResults(message)[clientId]) { clearTimeout(timer); resolve(); }
      });
    });
  }

  // A replay announces its results a batch at a time ({results: {clientId: result}}); a page
  // still running the previous script version announced one ({clientId, result}).
  function announcedResults(message) {
    if (!message) { return {}; }
    if (message.results) { return message.results; }
    if (message.clientId && message.result) { return { [message.clientId]: message.result }; }
    return {};
  }

  function lateAnswer(form, outbox, clientId, sending) {
    let touched = false;
    const mark = function () { touched = true; };
    form.addEventListener("input", mark, { once: true });
    sending.then(function () {
      form.removeEventListener("input", mark);
      const result = outbox.results[clientId];
      const stored = result && (result.outcome === "stored" || result.outcome === "duplicate");
      if (!touched && stored) { afterSend(form, outbox, clientId, {}); }
    }).catch(function () { return null; });
  }

  // --- Fixing a kept entry: the original form, prefilled --------------------------------
  async function prefillFromOutbox() {
    const params = new URLSearchParams(location.search);
    const clientId = params.get("outbox-fix");
    if (!clientId || !currentUserId()) { return; }
    const outbox = await ready;
    const entry = await outbox.get(currentUserId(), clientId);
    if (!entry || entry.unreadable) { return; }
    const form = Array.prototype.find.call(document.querySelectorAll("form[data-outbox]"), function (candidate) {
      const action = new URL(candidate.getAttribute("action") || location.href, location.href);
      return action.pathname + action.search === entry.url;
    });
    if (!form) { return; }
    const values = new URLSearchParams(entry.body);
    Array.prototype.forEach.call(form.elements, function (input) {
      if (!input.name || input.name === "csrf_token") { return; }
      const given = values.getAll(input.name);
      if (input.type === "checkbox" || input.type === "radio") {
        input.checked = given.indexOf(input.value) !== -1;
      } else if (input.type !== "submit" && input.type !== "button" && given.length) {
        input.value = given[0];
      }
    });
    const timeInput = form.querySelector("[data-recorded-at]");
    if (timeInput && entry.recordedAt) {
      timeInput.value = entry.recordedAt;
      form.dataset.outboxKeepTime = "1";
    }
    if (entry.status === "conflict") {
      // That id is taken on the server by other content: save the correction as a new entry.
      form.dataset.outboxReplaces = clientId;
      freshId(form);
      note(form, t.conflict, "bad");
    } else {
      const unplaced = showFieldErrors(form, entry.errors);
      note(form, [t.statuses[entry.status] || ""].concat(unplaced).join(" "), "bad");
    }
  }

  // --- The outbox page ----------------------------------------------------------------
  async function renderOutboxPage() {
    const page = document.querySelector("[data-outbox-page]");
    if (!page) { return; }
    const outbox = await ready;
    const userId = currentUserId();
    const entries = await outbox.list(userId);
    const counts = await outbox.counts(userId);
    const template = document.querySelector("template[data-outbox-row]");
    const lists = { waiting: document.querySelector('[data-outbox-list="waiting"]'), problem: document.querySelector('[data-outbox-list="problem"]') };
    lists.waiting.replaceChildren();
    lists.problem.replaceChildren();
    entries.forEach(function (entry) {
      const row = template.content.firstElementChild.cloneNode(true);
      row.dataset.clientId = entry.clientId;
      row.dataset.status = entry.status;
      row.querySelector("[data-row-title]").textContent = t.kinds[entry.kind] || entry.kind;
      row.querySelector("[data-row-label]").textContent = entry.unreadable ? t.unreadable : entry.label || "";
      row.querySelector("[data-row-summary]").textContent = entry.summary || "";
      row.querySelector("[data-row-recorded]").textContent = entry.recordedAt
        ? t.recorded + " " + new Date(entry.recordedAt).toLocaleString(document.documentElement.lang || "da") : "";
      const badge = row.querySelector("[data-row-status]");
      badge.textContent = t.statuses[entry.status] || entry.status;
      badge.classList.add(entry.status === "waiting" ? "badge-info" : entry.status === "expired" ? "badge-warn" : "badge-bad");
      const errors = row.querySelector("[data-row-errors]");
      Object.keys(entry.errors || {}).forEach(function (name) {
        (entry.errors[name] || []).forEach(function (message) {
          const item = document.createElement("li");
          item.textContent = (name ? name + ": " : "") + message;
          errors.appendChild(item);
        });
      });
      const fix = row.querySelector("[data-row-fix]");
      if ((entry.status === "invalid" || entry.status === "conflict") && entry.pageUrl) {
        const target = new URL(entry.pageUrl, location.href);
        target.searchParams.set("outbox-fix", entry.clientId);
        fix.href = target.pathname + target.search;
        fix.hidden = false;
      }
      const resend = row.querySelector("[data-row-resend]");
      resend.hidden = entry.status !== "expired";
      resend.addEventListener("click", async function () {
        await outbox.resend(entry.clientId);
        replay(true);
      });
      const discard = row.querySelector("[data-row-discard]");
      discard.addEventListener("click", async function () {
        if (!window.confirm(discard.dataset.confirm)) { return; }
        await outbox.discard(entry.clientId);
      });
      (entry.status === "waiting" ? lists.waiting : lists.problem).appendChild(row);
    });
    document.querySelector('[data-outbox-section="problem"]').hidden = !lists.problem.children.length;
    document.querySelector("[data-outbox-empty]").hidden = entries.length !== 0;
    const state = page.querySelector("[data-outbox-state]");
    state.textContent = entries.length ? t.waiting(entries.length) : "";
    page.querySelector("[data-outbox-login]").hidden = !(counts.loginNeeded && entries.length);
  }

  function bindOutboxPage() {
    const send = document.querySelector("[data-outbox-send]");
    if (send) { send.addEventListener("click", function () { replay(true); }); }
  }

  // --- Log-out with waiting entries ------------------------------------------------------
  async function purgeReadablePages() {
    const outbox = await ready;
    void outbox;
    await window.LedsagerCaches.purgePages();
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({ type: "logout" });
    }
  }

  async function guardLogout(event) {
    const form = event.target;
    if (form.dataset.outboxConfirmed) { return; }
    event.preventDefault();
    let open = 0;
    try { open = (await (await ready).counts(currentUserId())).total; } catch (e) { open = 0; }
    if (!open) { return logOut(form); }
    askBeforeLogout(form, open);
  }

  async function logOut(form) {
    try { await purgeReadablePages(); } catch (e) { /* the server session still ends */ }
    form.dataset.outboxConfirmed = "1";
    HTMLFormElement.prototype.submit.call(form);
  }

  function askBeforeLogout(form, open) {
    loadStylesheet();
    const dialog = document.createElement("dialog");
    dialog.className = "outbox-dialog";
    dialog.setAttribute("data-logout-dialog", "");
    dialog.setAttribute("aria-labelledby", "outbox-logout-title");
    const title = document.createElement("h2");
    title.id = "outbox-logout-title";
    title.textContent = t.logoutTitle;
    const text = document.createElement("p");
    text.textContent = t.logoutText(open);
    const status = document.createElement("p");
    status.setAttribute("role", "status");
    const actions = document.createElement("div");
    actions.className = "actions";
    const button = function (label, cls, handler) {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "btn " + cls;
      b.textContent = label;
      b.addEventListener("click", handler);
      actions.appendChild(b);
      return b;
    };
    button(t.sendFirst, "btn-primary", async function () {
      status.textContent = t.saving;
      await replay(true);
      const left = (await (await ready).counts(currentUserId())).total;
      if (!left) { dialog.close(); return logOut(form); }
      text.textContent = t.logoutText(left);
      status.textContent = t.queued;
    }).setAttribute("data-logout-send", "");
    button(t.logoutAnyway, "btn-danger", function () { dialog.close(); logOut(form); })
      .setAttribute("data-logout-anyway", "");
    button(t.cancel, "btn-quiet", function () { dialog.close(); });
    dialog.append(title, text, status, actions);
    dialog.addEventListener("close", function () { dialog.remove(); });
    document.body.appendChild(dialog);
    dialog.showModal();
  }

  // --- Install hint for iPhone (Safari has no install prompt) ---------------------------
  function showInstallHint() {
    const isIOS = /iPhone|iPad|iPod/.test(navigator.userAgent)
      || (navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1);
    const installed = navigator.standalone === true || window.matchMedia("(display-mode: standalone)").matches;
    let dismissed = false;
    try { dismissed = localStorage.getItem("ledsager-install-hint") === "dismissed"; } catch (e) { dismissed = false; }
    if (!isIOS || installed || dismissed) { return; }
    let hint = document.querySelector("[data-install-hint]");
    const summary = document.querySelector("[data-outbox-summary]");
    if (!hint && summary) {
      loadStylesheet();
      hint = document.createElement("p");
      hint.className = "card install-hint";
      hint.setAttribute("data-install-hint", "");
      const text = document.createElement("span");
      text.textContent = t.installHint;
      const close = document.createElement("button");
      close.type = "button";
      close.className = "btn btn-quiet";
      close.setAttribute("data-install-dismiss", "");
      close.textContent = t.close;
      hint.append(text, close);
      summary.after(hint);
    }
    if (!hint) { return; }
    hint.hidden = false;
    hint.querySelector("[data-install-dismiss]").addEventListener("click", function () {
      hint.hidden = true;
      try { localStorage.setItem("ledsager-install-hint", "dismissed"); } catch (e) { /* private mode */ }
    });
  }

  // --- Wiring -------------------------------------------------------------------------
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) { return; }
    if (form.matches("form[data-outbox]")) { submitEntry(event); }
    else if (form.matches("form[data-logout-form]")) { guardLogout(event); }
  }, true);

  window.addEventListener("pageshow", function (event) {
    // Back to a page from the back-forward cache: the form must not reuse a sent entry's id.
    if (event.persisted) { document.querySelectorAll("form[data-outbox]").forEach(freshId); }
  });

  // The confirmation a plain form post would have flashed, shown on the page we went to.
  function showPendingFlash() {
    let message = null;
    try { message = sessionStorage.getItem(FLASH_KEY); sessionStorage.removeItem(FLASH_KEY); } catch (e) { return; }
    const main = document.querySelector("main");
    if (!message || !main) { return; }
    const box = document.createElement("div");
    box.className = "flashes";
    box.setAttribute("role", "status");
    const text = document.createElement("p");
    text.className = "flash flash-success";
    text.textContent = message;
    box.appendChild(text);
    main.parentNode.insertBefore(box, main);
  }

  async function start() {
    showPendingFlash();
    registerServiceWorker();
    prepareForms(document);
    document.addEventListener("htmx:load", function (event) { prepareForms(event.target); });
    showInstallHint();
    const hasUserAttribute = document.body && document.body.hasAttribute("data-user-id");
    const userId = currentUserId();
    let outbox;
    try { outbox = await ready; } catch (e) { return; }
    // A replay of many entries announces every batch: redraw at most every REDRAW_MS (each
    // redraw reads all of this user's entries).
    let redraw = null;
    outbox.subscribe(function (message) {
      // Results sent by another context (service worker, other tab) count here too.
      const told = announcedResults(message);
      Object.keys(told).forEach(function (clientId) {
        if (!outbox.results[clientId]) { outbox.results[clientId] = told[clientId]; }
      });
      if (!message || message.type !== "changed" || redraw) { return; }
      redraw = setTimeout(function () { redraw = null; showCounts(); renderOutboxPage(); }, REDRAW_MS);
    });
    if (hasUserAttribute && !userId) {
      // The server says nobody is logged in here: the readable pages must not outlive the session.
      await window.LedsagerCaches.purgePages();
      return;
    }
    if (!userId) { return; }
    bindOutboxPage();
    const counts = await showCounts();
    renderOutboxPage();
    prefillFromOutbox();
    await window.LedsagerCaches.keepFor(userId);
    // The replay's token request is also the server probe that records who is logged in here;
    // skip it when nothing waits and nothing changed.
    const session = await outbox.getMeta("session");
    const needed = counts.waiting || counts.expired || counts.loginNeeded || !session || session.userId !== userId;
    const caseStaff = ["worker", "supervisor"].indexOf(document.body.dataset.role) !== -1;
    Promise.resolve(needed ? replay(true) : null)
      .then(function () { return caseStaff ? window.LedsagerCaches.refreshPageList(userId) : null; })
      .catch(function () { return null; });
    window.addEventListener("online", function () { replay(true); });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") { replay(true); }
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }

  window.Ledsager = window.Ledsager || {};
  window.Ledsager.outbox = { ready: ready, replay: replay, showCounts: showCounts };
})();
