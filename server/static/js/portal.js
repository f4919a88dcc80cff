/* The citizen's pages: print the data copy, copy the calendar link (bound through data-*). */
(function () {
  "use strict";

  function bind(root) {
    root.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;  // shown only where script runs
      button.addEventListener("click", function () { window.print(); });
    });
    root.querySelectorAll("[data-select-on-focus]").forEach(function (input) {
      input.addEventListener("focus", function () { input.select(); });
    });
    root.querySelectorAll("[data-copy-target]").forEach(function (button) {
      if (!navigator.clipboard) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        const input = document.getElementById(button.dataset.copyTarget);
        const status = document.querySelector("[data-copy-status]");
        navigator.clipboard.writeText(input.value).then(function () {
          if (status) { status.textContent = button.dataset.copied; }
        });
      });
    });
  }

  window.Ledsager.onLoad(bind);
})();
