// After a failed submit, move focus to the error summary so screen readers read it first and
// keyboard users start from it. Its links focus the field itself, with its label in view.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (!summary) {
    return;
  }
  summary.focus();

  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) {
      return;
    }
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) {
      return;
    }
    var field = target.matches("input, select, textarea")
      ? target
      : target.querySelector("input, select, textarea");
    if (!field) {
      return;
    }
    event.preventDefault();
    var holder = field.closest(".field, fieldset") || field;
    holder.scrollIntoView();
    field.focus({ preventScroll: true });
  });
})();
