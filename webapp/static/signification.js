// Turns each triad question's two fallback choices into a triangle: tap to place the point (no
// dragging), or focus it and use the arrow keys; Home puts it in the middle. The point is posted
// as three weights ("0.600,0.300,0.100") in the hidden input the server reads first.
(function () {
  "use strict";
  var A = { x: 100, y: 0 }, B = { x: 0, y: 173.2 }, C = { x: 200, y: 173.2 };
  var CENTRE = { x: 100, y: 115.47 };
  var STEP = 10; // SVG units, about 5% of a side

  function weightsAt(p) {
    var d = (B.y - C.y) * (A.x - C.x) + (C.x - B.x) * (A.y - C.y);
    var a = ((B.y - C.y) * (p.x - C.x) + (C.x - B.x) * (p.y - C.y)) / d;
    var b = ((C.y - A.y) * (p.x - C.x) + (A.x - C.x) * (p.y - C.y)) / d;
    var w = [Math.max(a, 0), Math.max(b, 0), Math.max(1 - a - b, 0)];
    var sum = w[0] + w[1] + w[2];
    return w.map(function (v) { return v / sum; });
  }

  function pointOf(w) {
    return { x: w[0] * A.x + w[1] * B.x + w[2] * C.x, y: w[0] * A.y + w[1] * B.y + w[2] * C.y };
  }

  function percents(w) {
    // largest remainder, so the three percentages always add up to 100
    var exact = w.map(function (v) { return v * 100; });
    var whole = exact.map(Math.floor);
    var order = [0, 1, 2].sort(function (i, j) { return (exact[j] - whole[j]) - (exact[i] - whole[i]); });
    for (var k = 0; k < 100 - whole[0] - whole[1] - whole[2]; k++) { whole[order[k]] += 1; }
    return whole;
  }

  function enhance(box) {
    var question = box.closest(".sig-triad");
    var input = question.querySelector("[data-triad-value]");
    var fallback = question.querySelector("[data-triad-fallback]");
    var handle = box.querySelector("[role=slider]");
    var svg = box.querySelector("svg");
    var dot = box.querySelector(".sig-dot");
    var output = box.querySelector("[data-triad-output]");
    var nvt = box.querySelector("[data-triad-nvt]");
    var labels = Array.prototype.map.call(box.querySelectorAll("[data-corner-label]"), function (el) {
      return el.textContent.trim();
    });
    var weights = null;

    function show(text) {
      handle.setAttribute("aria-valuetext", text);
      output.textContent = text;
    }

    function set(w) {
      weights = w;
      var p = pointOf(w), pct = percents(w);
      dot.setAttribute("cx", p.x.toFixed(1));
      dot.setAttribute("cy", p.y.toFixed(1));
      dot.removeAttribute("hidden");
      input.value = w.map(function (v) { return v.toFixed(3); }).join(",");
      nvt.setAttribute("aria-pressed", "false");
      handle.setAttribute("aria-valuenow", String(pct[0]));
      show(labels.map(function (label, i) { return label + " " + pct[i] + "%"; }).join(", "));
    }

    function clear(value, text) {
      weights = null;
      input.value = value;
      dot.setAttribute("hidden", "");
      handle.setAttribute("aria-valuenow", "0"); // required by role=slider; aria-valuetext says "no answer"
      nvt.setAttribute("aria-pressed", value === "nvt" ? "true" : "false");
      show(text);
    }

    handle.addEventListener("click", function (event) {
      var m = svg.getScreenCTM();
      if (!m) { return; }
      var pt = svg.createSVGPoint();
      pt.x = event.clientX;
      pt.y = event.clientY;
      set(weightsAt(pt.matrixTransform(m.inverse())));
      handle.focus();
    });

    handle.addEventListener("keydown", function (event) {
      var moves = { ArrowLeft: [-STEP, 0], ArrowRight: [STEP, 0], ArrowUp: [0, -STEP], ArrowDown: [0, STEP] };
      if (event.key === "Home") {
        set(weightsAt(CENTRE));
      } else if (moves[event.key]) {
        var p = weights ? pointOf(weights) : CENTRE;
        var move = weights ? moves[event.key] : [0, 0];
        set(weightsAt({ x: p.x + move[0], y: p.y + move[1] }));
      } else {
        return;
      }
      event.preventDefault();
    });

    box.querySelector("[data-triad-clear]").addEventListener("click", function () {
      clear("", handle.getAttribute("data-none"));
    });
    nvt.addEventListener("click", function () {
      clear("nvt", handle.getAttribute("data-nvt"));
    });

    // the fallback's two choices stay in the page for no-JavaScript use only
    Array.prototype.forEach.call(fallback.querySelectorAll("input"), function (el) { el.disabled = true; });
    fallback.hidden = true;
    box.hidden = false;

    var start = input.value.split(",").map(Number);
    if (input.value === "nvt") {
      clear("nvt", handle.getAttribute("data-nvt"));
    } else if (start.length === 3 && start.every(function (v) { return v >= 0; }) && start[0] + start[1] + start[2] > 0) {
      set(start.map(function (v) { return v / (start[0] + start[1] + start[2]); }));
    }
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-triad]"), enhance);
})();
