// Small progressive enhancements. Everything works without this file.
(function () {
  "use strict";

  // After htmx swaps results in, announce the new count from a live region that is never
  // replaced (a replaced live region is not reliably read out).
  document.addEventListener("htmx:afterSettle", function (event) {
    var count = event.detail.target && event.detail.target.querySelector("[data-announce]");
    var announcer = document.getElementById("announcer");
    if (count && announcer) {
      announcer.textContent = "";
      window.setTimeout(function () { announcer.textContent = count.textContent.trim(); }, 50);
    }
    // A swapped-in step or page section may ask for focus on its heading. After an outerHTML
    // swap the old target is detached, so look in the new element (or the document).
    var root = event.detail.elt && event.detail.elt.isConnected ? event.detail.elt : document;
    var heading = root.matches && root.matches("[data-focus]") ? root : root.querySelector("[data-focus]");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
  });

  // Print buttons (no inline handlers under a strict CSP).
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) {
      event.preventDefault();
      window.print();
    }
  });
})();
