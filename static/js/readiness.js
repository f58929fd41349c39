// Readiness steps: show a question only when the answer it depends on applies, and make
// "none of these" exclusive. Without this file every question shows, with a hint.
(function () {
  "use strict";

  function valuesOf(form, name) {
    var out = [];
    form.querySelectorAll("[name='" + CSS.escape(name) + "']").forEach(function (input) {
      if ((input.type === "radio" || input.type === "checkbox") ? input.checked : input.value) {
        out.push(input.value);
      }
    });
    return out;
  }

  function holds(condition, form) {
    if (!condition) return true;
    if (condition.all) return condition.all.every(function (c) { return holds(c, form); });
    if (condition.any) return condition.any.some(function (c) { return holds(c, form); });
    if (condition.not) return !holds(condition.not, form);
    var chosen = valuesOf(form, condition.item);
    if (condition.in) {
      return chosen.some(function (v) { return condition.in.map(String).indexOf(v) !== -1; });
    }
    if (condition.not_in) {
      return chosen.length > 0 &&
        chosen.every(function (v) { return condition.not_in.map(String).indexOf(v) === -1; });
    }
    return true;
  }

  function refresh(form) {
    form.querySelectorAll("[data-show-if]").forEach(function (wrap) {
      var show = holds(JSON.parse(wrap.getAttribute("data-show-if")), form);
      wrap.hidden = !show;
      wrap.querySelectorAll("input, select, textarea").forEach(function (el) { el.disabled = !show; });
      var hint = wrap.querySelector(".conditional-hint");
      if (hint) hint.hidden = true;
    });
  }

  function exclusive(event) {
    var input = event.target;
    if (!input || input.type !== "checkbox") return;
    var group = input.form.querySelectorAll("[name='" + CSS.escape(input.name) + "']");
    if (input.checked && input.hasAttribute("data-exclusive")) {
      group.forEach(function (other) { if (other !== input) other.checked = false; });
    } else if (input.checked) {
      group.forEach(function (other) { if (other.hasAttribute("data-exclusive")) other.checked = false; });
    }
  }

  function init(root) {
    (root || document).querySelectorAll("form.step-form").forEach(function (form) {
      if (form.dataset.ready) return;
      form.dataset.ready = "1";
      form.addEventListener("change", function (event) { exclusive(event); refresh(form); });
      refresh(form);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) { init(event.detail.elt); });
})();
