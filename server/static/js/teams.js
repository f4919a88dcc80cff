/* Supervisor pages: the print button of the municipality report. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-print]");
    if (button) { window.print(); }
  });
})();
