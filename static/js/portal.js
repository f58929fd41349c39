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

  // htmx does not swap error answers (429, 503, ...), so the form and what was typed stay on
  // the page; say what happened, in words, in one alert above the content.
  function problem(message) {
    var main = document.getElementById("main");
    if (!main) return;
    var box = document.getElementById("request-problem");
    if (!box) {
      box = document.createElement("div");
      box.id = "request-problem";
      box.className = "notice";
      box.setAttribute("role", "alert");
      main.insertBefore(box, main.firstChild);
    }
    box.textContent = message;
  }
  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    var kept = " What you entered is still here.";
    if (status === 429) problem("Please slow down a little, then try again in a minute." + kept);
    else if (status === 413) problem("That was more text than we can take at once. Please shorten it." + kept);
    else if (status === 503) problem("We can't reach part of this site just now. Please try again in a minute." + kept);
    else if (status >= 500) problem("Something went wrong on our side. Please try again." + kept);
  });
  document.addEventListener("htmx:sendError", function () {
    problem("We could not reach the site. Check your connection and try again. What you entered is still here.");
  });

  // Print buttons (no inline handlers under a strict CSP). They are hidden in the markup, as
  // they do nothing without this file; the page says in words how to print.
  Array.prototype.forEach.call(document.querySelectorAll("[data-print][hidden]"), function (button) {
    button.hidden = false;
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) {
      event.preventDefault();
      window.print();
    }
  });
})();
