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
    // After "Next" or "Previous", the new page of results starts at its count, not at the
    // bottom where the link was.
    var from = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (!heading && from && from.closest && from.closest(".pagination")) {
      heading = document.getElementById("result-count");
    }
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
  // The words are the page's own (data-said-* on <main>), in its language.
  function said(name) {
    var main = document.getElementById("main");
    return (main && main.getAttribute("data-said-" + name)) || "";
  }
  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    var which = status === 429 || status === 413 || status === 503 ? String(status) : status >= 500 ? "500" : "";
    if (which) problem(said(which) + " " + said("kept"));
  });
  document.addEventListener("htmx:sendError", function () {
    problem(said("offline") + " " + said("kept"));
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
