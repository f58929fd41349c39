// Small progressive enhancements. Everything works without this file.
(function () {
  "use strict";

  // After htmx swaps results in, announce the new count from a live region that is never
  // replaced (a replaced live region is not reliably read out).
  document.addEventListener("htmx:afterSettle", function (event) {
    // After an outerHTML swap (a result's directory) the target is the replaced element.
    var swapped = event.detail.target && event.detail.target.isConnected
      ? event.detail.target
      : document.getElementById(event.detail.target && event.detail.target.id);
    var count = swapped && swapped.querySelector("[data-announce]");
    var announcer = document.getElementById("announcer");
    if (count && announcer) {
      var said = count.textContent.trim();
      announcer.textContent = "";
      window.setTimeout(function () { announcer.textContent = said; }, 50);
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

  // A result's directory swaps its form and results together (hx-target="#directory"): the
  // groups that were open stay open, and the field in use keeps the focus (htmx itself only
  // refocuses a field with an id, and not inside a group that closed).
  // A change made while the last one was on its way (another tick, text typed) is never
  // swapped away: the answer is set aside and the form is sent again as it now stands.
  var before = null;
  var sent = null;
  function held(form) {
    return new URLSearchParams(new FormData(form)).toString();
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt;
    if (form && form.id === "filters" && form.getAttribute("hx-target") === "#directory") {
      sent = held(form);
    }
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (!target || target.id !== "directory" || !event.detail.shouldSwap) return;
    var form = document.getElementById("filters");
    if (form && sent !== null && held(form) !== sent) {
      event.detail.shouldSwap = false;
      window.setTimeout(function () {
        if (form.requestSubmit) form.requestSubmit();
        else if (window.htmx) window.htmx.trigger(form, "submit");
      }, 0);
      return;
    }
    var active = document.activeElement;
    before = {
      open: Array.prototype.map.call(target.querySelectorAll("details[open][id]"), function (d) {
        return d.id;
      }),
      field: active && target.contains(active) ? active : null,
      // The block is taken out and put back: without this the window would be left where
      // the shorter page ended (the footer).
      scroll: window.scrollY
    };
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var directory = document.getElementById("directory");
    if (!before || !event.detail.target || event.detail.target.id !== "directory" || !directory) return;
    var was = before;
    before = null;
    window.scrollTo(window.scrollX, was.scroll);
    was.open.forEach(function (id) {
      var group = document.getElementById(id);
      if (group) group.open = true;
    });
    var field = was.field;
    var again = null;
    if (field && field.id) {
      again = document.getElementById(field.id);
    } else if (field && field.name) {
      again = directory.querySelector(
        "[name='" + field.name.replace(/[^\w-]/g, "") + "'][value='" + String(field.value).replace(/[^\w-]/g, "") + "']"
      );
    }
    if (again) {
      for (var group = again.closest("details"); group; group = group.parentNode.closest("details")) {
        group.open = true;
      }
      again.focus({ preventScroll: true });
    }
  });

  // With htmx only the results are replaced. Mark the filters they could not use (and unmark
  // the ones fixed) as a whole page does: aria-invalid, and the message under the field. The
  // results' error summary names each field (data-field) and says its message (data-message).
  document.addEventListener("htmx:afterSwap", function (event) {
    var results = event.detail.target;
    var form = document.getElementById("filters");
    if (!form || !results || results.id !== "results") return;
    Array.prototype.forEach.call(form.querySelectorAll(".field-error"), function (old) {
      old.parentNode.removeChild(old);
    });
    Array.prototype.forEach.call(form.querySelectorAll("[aria-invalid]"), function (field) {
      field.removeAttribute("aria-invalid");
      field.removeAttribute("aria-describedby");
    });
    Array.prototype.forEach.call(results.querySelectorAll("[data-field]"), function (link) {
      var name = link.getAttribute("data-field");
      var field = form.querySelector("[id='" + name.replace(/[^\w-]/g, "") + "']");
      if (!field) return;
      var message = document.createElement("p");
      message.className = "field-error";
      message.id = field.id + "-error";
      var word = document.createElement("span");
      word.className = "visually-hidden";
      word.textContent = link.closest("[data-error-word]").getAttribute("data-error-word") + " ";
      message.appendChild(word);
      message.appendChild(document.createTextNode(link.getAttribute("data-message")));
      for (var group = field.closest("details"); group; group = group.parentNode.closest("details")) {
        group.open = true;
      }
      if (field.tagName === "FIELDSET") {
        var legend = field.querySelector("legend");
        field.insertBefore(message, legend ? legend.nextSibling : field.firstChild);
      } else {
        // Under the field, its row (ZIP code and distance) or its label (a checkbox), after
        // any said before.
        var anchor = field.closest(".row, label") || field;
        while (anchor.nextElementSibling && anchor.nextElementSibling.classList.contains("field-error")) {
          anchor = anchor.nextElementSibling;
        }
        anchor.parentNode.insertBefore(message, anchor.nextSibling);
      }
      field.setAttribute("aria-invalid", "true");
      field.setAttribute("aria-describedby", message.id);
    });
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
