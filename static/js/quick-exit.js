// Quick exit: the button, or Shift pressed three times within two seconds, blanks the page and
// replaces this entry in the tab's history with a neutral site. Escape is not used: in most
// browsers it stops a page loading (the GOV.UK "Exit this page" pattern explains why).
(function () {
  "use strict";
  var link = document.querySelector("[data-quick-exit]");
  if (!link) return;
  var target = link.getAttribute("href");

  function leave(event) {
    if (event) event.preventDefault();
    document.title = "Weather";
    document.body.innerHTML = "";
    document.body.style.background = "#fff";
    window.location.replace(target);
  }

  link.addEventListener("click", leave);

  var presses = [];
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Shift" || event.repeat) return;
    var now = Date.now();
    presses = presses.filter(function (t) { return now - t < 2000; });
    presses.push(now);
    if (presses.length >= 3) leave();
  });
})();
