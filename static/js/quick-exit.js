// Quick exit: the button, or Shift pressed three times in a row (within two seconds of each
// other), erases the session and replaces this entry in the tab's history with a neutral site.
// Any other key in between starts the count again, so typing capitals ("Dr Ann Lee") never
// leaves. The erase is a keepalive request: it completes after the tab has moved on. Without
// JavaScript the link itself goes to /exit, which erases and redirects. Escape is not used: in
// most browsers it stops a page loading (the GOV.UK "Exit this page" pattern explains why).
(function () {
  "use strict";
  var link = document.querySelector("[data-quick-exit]");
  if (!link) return;
  var target = link.getAttribute("data-quick-exit");
  var eraseUrl = link.getAttribute("href");
  var leaving = false;

  function leave(event) {
    if (event) event.preventDefault();
    if (leaving) return;
    leaving = true;
    try {
      fetch(eraseUrl, {
        method: "GET",
        keepalive: true,
        credentials: "same-origin",
        cache: "no-store",
        headers: { "x-quick-exit": "1" }
      }).catch(function () {});
    } catch (e) {
      // An old browser without fetch: leaving matters more than erasing.
    }
    document.title = "Weather";
    document.body.innerHTML = "";
    document.body.style.background = "#fff";
    window.location.replace(target);
  }

  link.addEventListener("click", leave);
  // The Shift shortcut is this script's: its hint shows only where the script runs.
  var hint = link.querySelector(".quick-exit-hint");
  if (hint) hint.hidden = false;

  var presses = 0;
  var last = 0;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Shift") {
      presses = 0;
      return;
    }
    if (event.repeat) return;
    var now = Date.now();
    presses = now - last < 2000 ? presses + 1 : 1;
    last = now;
    if (presses >= 3) leave();
  });
})();
