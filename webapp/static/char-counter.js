// Progressive enhancement: a live character count under a text box with data-max-length.
// Without JavaScript the limit is stated in the hint and the server explains an over-long text;
// nothing is ever cut off.
(function () {
  "use strict";
  var format = new Intl.NumberFormat(document.documentElement.lang || "nl");
  document.querySelectorAll("[data-counter-for]").forEach(function (counter) {
    var box = document.getElementById(counter.getAttribute("data-counter-for"));
    if (!box) { return; }
    var max = parseInt(box.getAttribute("data-max-length"), 10);
    var timer = null;
    function fill(template, count) {
      return template
        .replace("%(count)s", format.format(count))
        .replace("%(max)s", format.format(max))
        .replace("%(over)s", format.format(count - max));
    }
    function update() {
      // Count as the server does: line breaks as one character, surrounding space trimmed.
      var count = box.value.replace(/\r\n?/g, "\n").trim().length;
      var over = count > max;
      counter.textContent = fill(counter.getAttribute(over ? "data-over" : "data-text"), count);
      counter.classList.toggle("char-count--over", over);
    }
    counter.hidden = false;
    update();
    // Screen readers hear the count after a pause in typing, not after every key.
    box.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(update, 400);
    });
  });
})();
