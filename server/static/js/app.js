/* Ledsager page behaviour, bound through data-* attributes (no inline script: strict CSP). */
(function () {
  "use strict";

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (e) {
      return "";
    }
  }

  async function postJSON(url, body) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken() },
      body: body === undefined ? "{}" : JSON.stringify(body),
    });
    let data = {};
    try { data = await response.json(); } catch (e) { /* empty body */ }
    return { ok: response.ok, status: response.status, data: data };
  }

  function showError(scope, message) {
    const box = (scope || document).querySelector("[data-passkey-error]");
    if (box) { box.textContent = message; box.hidden = false; }
  }

  // --- Passkeys (WebAuthn) -------------------------------------------------
  function passkeysSupported() {
    return window.PublicKeyCredential && PublicKeyCredential.parseRequestOptionsFromJSON;
  }

  async function passkeyLogin(button) {
    const options = await fetch(button.dataset.optionsUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrfToken() },
    }).then(function (r) { return r.json(); });
    const credential = await navigator.credentials.get({
      publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options),
    });
    const result = await postJSON(button.dataset.verifyUrl, credential.toJSON());
    if (result.ok && result.data.redirect) { window.location.assign(result.data.redirect); return; }
    throw new Error(result.data.error || "login failed");
  }

  async function passkeyRegister(optionsUrl, verifyUrl, optionsBody) {
    const optionsResult = await postJSON(optionsUrl, optionsBody);
    if (!optionsResult.ok) { throw new Error(optionsResult.data.error || "options failed"); }
    const credential = await navigator.credentials.create({
      publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(optionsResult.data),
    });
    const result = await postJSON(verifyUrl, credential.toJSON());
    if (result.ok && result.data.redirect) { window.location.assign(result.data.redirect); return; }
    throw new Error(result.data.error || "registration failed");
  }

  function bindPasskeys(root) {
    root.querySelectorAll("[data-passkey-login]").forEach(function (button) {
      button.addEventListener("click", function () {
        if (!passkeysSupported()) { showError(button.parentElement, button.dataset.unsupported || "Passkeys not supported"); return; }
        passkeyLogin(button).catch(function (error) { showError(button.parentElement, error.message); });
      });
    });
    root.querySelectorAll("[data-passkey-register]").forEach(function (button) {
      button.addEventListener("click", function () {
        passkeyRegister(button.dataset.optionsUrl, button.dataset.verifyUrl)
          .catch(function (error) { showError(button.parentElement, error.message); });
      });
    });
    root.querySelectorAll("[data-enrol-form]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        const code = form.querySelector("[name=code]").value;
        passkeyRegister(form.dataset.optionsUrl, form.dataset.verifyUrl, { code: code })
          .catch(function (error) { showError(form, error.message); });
      });
    });
  }

  // --- Small behaviours ----------------------------------------------------
  function bindConfirm(root) {
    // <button data-confirm="Are you sure?">: ask before a destructive action.
    root.querySelectorAll("[data-confirm]").forEach(function (el) {
      el.addEventListener("click", function (event) {
        if (!window.confirm(el.dataset.confirm)) { event.preventDefault(); event.stopImmediatePropagation(); }
      });
    });
  }

  function bindAll(root) {
    bindPasskeys(root);
    bindConfirm(root);
  }

  window.Ledsager = window.Ledsager || {};
  window.Ledsager.csrfToken = csrfToken;
  window.Ledsager.postJSON = postJSON;
  window.Ledsager.onLoad = function (fn) {
    document.addEventListener("DOMContentLoaded", function () { fn(document); });
    document.addEventListener("htmx:load", function (event) { if (event.target !== document.body) { fn(event.target); } });
  };
  window.Ledsager.onLoad(bindAll);
})();
