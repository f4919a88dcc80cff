/* Reminders page: turn on web push for this phone (needs the app's service worker). */
(function () {
  "use strict";

  function urlBase64ToBytes(value) {
    const padded = (value + "===".slice((value.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    const raw = atob(padded);
    return Uint8Array.from(raw, function (c) { return c.charCodeAt(0); });
  }

  async function enablePush(card, button) {
    const status = card.querySelector("[data-push-status]");
    try {
      const permission = await Notification.requestPermission();
      if (permission !== "granted") { throw new Error("permission " + permission); }
      const key = await fetch(button.dataset.keyUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { if (!r.ok) { throw new Error("no key"); } return r.json(); });
      const registration = await navigator.serviceWorker.ready;
      const subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true, applicationServerKey: urlBase64ToBytes(key.public_key),
      });
      const result = await window.Ledsager.postJSON(button.dataset.subscribeUrl, subscription.toJSON());
      if (!result.ok) { throw new Error("subscribe " + result.status); }
      status.textContent = status.dataset.on;
      button.hidden = true;
    } catch (error) {
      status.textContent = status.dataset.failed;
    }
  }

  async function bindPush(root) {
    const card = root.querySelector("[data-push]");
    if (!card || !("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) { return; }
    const button = card.querySelector("[data-push-enable]");
    const registration = await navigator.serviceWorker.getRegistration();
    if (!registration) { return; }  // no service worker yet: nothing to subscribe with
    const existing = await registration.pushManager.getSubscription();
    if (existing && Notification.permission === "granted") {
      // The server keeps a subscription per log-in and drops it at log-out: hand this phone's
      // subscription to the current log-in again (the same endpoint is updated, not doubled).
      const result = await window.Ledsager.postJSON(button.dataset.subscribeUrl, existing.toJSON());
      if (result.ok) { return; }
    }
    card.hidden = false;
    button.addEventListener("click", function () { enablePush(card, button); });
  }

  window.Ledsager.onLoad(function (root) { bindPush(root).catch(function () { /* push is optional */ }); });
})();
