/* Worker pages: small conveniences on the log-contact screen (the form works without them). */
(function () {
  "use strict";

  // A phone call has no place: hide the place chips while "Telefon" is the chosen type
  // (the server stores place=phone for calls whatever is sent).
  function bindContactType(root) {
    root.querySelectorAll("[data-contact-type]").forEach(function (box) {
      const form = box.closest("form");
      const place = form && form.querySelector("[data-contact-place]");
      if (!place) { return; }
      function sync() {
        const chosen = box.querySelector("input:checked");
        place.hidden = Boolean(chosen && chosen.value === "phone");
      }
      box.addEventListener("change", sync);
      sync();
    });
  }

  // The time field defaults to "now" when the worker opens the form, not when the page was
  // rendered or cached for offline use; after the outbox resets the form it is "now" again.
  function pad(n) { return String(n).padStart(2, "0"); }
  function localNow() {
    const d = new Date();
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" + pad(d.getHours()) + ":" + pad(d.getMinutes());
  }
  function bindNow(root) {
    root.querySelectorAll("input[data-now]").forEach(function (input) {
      input.value = localNow();
      input.defaultValue = input.value;
      const form = input.form;
      if (form) {
        form.addEventListener("reset", function () {
          setTimeout(function () { input.value = localNow(); input.defaultValue = input.value; }, 0);
        });
      }
    });
  }

  if (window.Ledsager && window.Ledsager.onLoad) {
    window.Ledsager.onLoad(bindContactType);
    window.Ledsager.onLoad(bindNow);
  }
})();
