// Progressive enhancement: "copy" buttons next to a read-only field or a code on the page, and
// "print" buttons; without JavaScript they stay hidden and the text can be selected by hand.
document.querySelectorAll(".copy-button").forEach(function (button) {
  var source = document.getElementById(button.dataset.copy);
  if (!source || !navigator.clipboard) { return; }
  button.hidden = false;
  // Live before the text changes, so screen readers announce the confirmation.
  button.setAttribute("aria-live", "polite");
  button.addEventListener("click", function () {
    var text = source.value !== undefined ? source.value : source.textContent.trim();
    navigator.clipboard.writeText(text).then(function () {
      button.textContent = button.dataset.done || "✓";
    });
  });
});
document.querySelectorAll(".print-button").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
