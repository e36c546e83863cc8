// Progressive enhancement: a "copy link" button next to each read-only link field.
document.querySelectorAll(".copy-button").forEach(function (button) {
  var source = document.getElementById(button.dataset.copy);
  if (!source || !navigator.clipboard) { return; }
  button.hidden = false;
  // Live before the text changes, so screen readers announce the confirmation.
  button.setAttribute("aria-live", "polite");
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(source.value).then(function () {
      button.textContent = button.dataset.done || "✓";
    });
  });
});
