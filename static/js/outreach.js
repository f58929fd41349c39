// "How to reach out" and the shortlist: copy the first message, keep the email link in step
// with what is typed, show the buttons that need this file. Without it the message is in a
// text box to select, and the email link carries the message as first written.
(function () {
  "use strict";

  function reveal(root) {
    root.querySelectorAll("[data-copy][hidden], [data-print][hidden]").forEach(function (el) {
      el.hidden = false;
    });
    root.querySelectorAll("[data-no-js-note]").forEach(function (el) { el.hidden = true; });
  }

  function say(section, text) {
    var status = section && section.querySelector("[data-copy-status]");
    if (!status) return;
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function copyText(box) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(box.value);
    }
    box.select();
    return document.execCommand("copy") ? Promise.resolve() : Promise.reject(new Error("copy"));
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy]");
    if (!button) return;
    var box = document.getElementById(button.getAttribute("data-copy"));
    var section = button.closest("section");
    if (!box) return;
    copyText(box).then(
      function () { say(section, button.getAttribute("data-copied")); },
      function () {
        box.focus();
        box.select();
        say(section, button.getAttribute("data-copy-failed"));
      }
    );
  });

  // The email link follows the text box: subject as written, body as now typed.
  document.addEventListener("input", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("[data-reach-body]")) return;
    var section = box.closest("section");
    var link = section && section.querySelector("[data-reach-mailto]");
    if (!link) return;
    var href = link.getAttribute("href");
    var cut = href.indexOf("&body=");
    var head = cut === -1 ? href : href.slice(0, cut);
    link.setAttribute("href", head + "&body=" + encodeURIComponent(box.value.replace(/\r?\n/g, "\r\n")));
  });

  document.addEventListener("htmx:afterSettle", function (event) { reveal(event.detail.elt || document); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { reveal(document); });
  } else {
    reveal(document);
  }
})();
