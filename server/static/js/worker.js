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

  if (window.Ledsager && window.Ledsager.onLoad) {
    window.Ledsager.onLoad(bindContactType);
  }
})();
