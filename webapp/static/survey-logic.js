// Progressive enhancement for survey forms with XLSForm logic: skip logic (relevant), choice
// filters, calculations and constraint messages, live while a person fills in the form.
// The server parses every expression once (surveys/logic_parser.py) and puts the tree in
// data-* attributes; this file only evaluates it, with the rules of surveys/logic_eval.py.
// The server checks everything again on submit: without JavaScript nothing is lost.
(function () {
  "use strict";
  var EPOCH = Date.UTC(1970, 0, 1);

  function parse(element, name) {
    var text = element.getAttribute(name);
    return text ? JSON.parse(text) : null;
  }

  function toNumber(value) {
    if (typeof value === "boolean") { return value ? 1 : 0; }
    if (typeof value === "number") { return value; }
    var text = String(value).trim();
    if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
      var parts = text.split("-");
      return (Date.UTC(+parts[0], +parts[1] - 1, +parts[2]) - EPOCH) / 86400000;
    }
    return /^-?(\d+(\.\d*)?|\.\d+)$/.test(text) ? parseFloat(text) : NaN;
  }
  function toBoolean(value) {
    if (typeof value === "boolean") { return value; }
    if (typeof value === "number") { return value !== 0 && !isNaN(value); }
    return value !== "";
  }
  function toText(value) {
    if (typeof value === "boolean") { return value ? "true" : "false"; }
    if (typeof value === "number") { return isNaN(value) ? "NaN" : String(value); }
    return value;
  }
  function equal(a, b) {
    if (typeof a === "boolean" || typeof b === "boolean") { return toBoolean(a) === toBoolean(b); }
    if (typeof a === "number" || typeof b === "number") { return toNumber(a) === toNumber(b); }
    return a === b;
  }
  function isoDate(value) {
    if (typeof value === "number" && !isNaN(value)) {
      return new Date(EPOCH + Math.trunc(value) * 86400000).toISOString().slice(0, 10);
    }
    var text = toText(value).trim().slice(0, 10);
    return /^\d{4}-\d{2}-\d{2}$/.test(text) ? text : "";
  }
  function numeric(fn) {
    return function (args) {
      var n = toNumber(args[0]);
      return isNaN(n) || !isFinite(n) ? n : fn(n);
    };
  }
  function extreme(pick) {
    return function (args) {
      var numbers = args.map(toNumber);
      return numbers.some(isNaN) ? NaN : pick.apply(Math, numbers);
    };
  }

  var FUNCTIONS = {
    "selected": function (a) { return toText(a[0]).split(/\s+/).indexOf(toText(a[1]).trim()) >= 0; },
    "count-selected": function (a) { return toText(a[0]).split(/\s+/).filter(Boolean).length; },
    "string-length": function (a, c) { return toText(a.length ? a[0] : c.current).length; },
    "regex": function (a) {
      try { return new RegExp(toText(a[1])).test(toText(a[0])); } catch (e) { return false; }
    },
    "not": function (a) { return !toBoolean(a[0]); },
    "true": function () { return true; },
    "false": function () { return false; },
    "if": function (a) { return toBoolean(a[0]) ? a[1] : a[2]; },
    "concat": function (a) { return a.map(toText).join(""); },
    "number": function (a) { return toNumber(a[0]); },
    "int": numeric(Math.trunc),
    "string": function (a) { return toText(a[0]); },
    "boolean": function (a) { return toBoolean(a[0]); },
    "round": function (a) {
      var n = toNumber(a[0]), f = Math.pow(10, a.length > 1 ? Math.trunc(toNumber(a[1])) : 0);
      return isNaN(n) || !isFinite(n) ? n : Math.floor(n * f + 0.5) / f;
    },
    "floor": numeric(Math.floor),
    "ceiling": numeric(Math.ceil),
    "abs": numeric(Math.abs),
    "contains": function (a) { return toText(a[0]).indexOf(toText(a[1])) >= 0; },
    "starts-with": function (a) { return toText(a[0]).indexOf(toText(a[1])) === 0; },
    "ends-with": function (a) {
      var s = toText(a[0]), t = toText(a[1]);
      return s.slice(s.length - t.length) === t;
    },
    "coalesce": function (a) { return toText(a[0]) !== "" ? a[0] : a[1]; },
    "normalize-space": function (a, c) {
      return toText(a.length ? a[0] : c.current).trim().split(/\s+/).join(" ");
    },
    "substr": function (a) {
      var s = toText(a[0]), start = Math.max(0, Math.trunc(toNumber(a[1])));
      return a.length > 2 ? s.slice(start, Math.trunc(toNumber(a[2]))) : s.slice(start);
    },
    "min": extreme(Math.min),
    "max": extreme(Math.max),
    "today": function () { return new Date().toISOString().slice(0, 10); },
    "date": function (a) { return isoDate(a[0]); }
  };

  function operator(op, leftNode, rightNode, context) {
    var left = evaluate(leftNode, context);
    if (op === "and") { return toBoolean(left) && toBoolean(evaluate(rightNode, context)); }
    if (op === "or") { return toBoolean(left) || toBoolean(evaluate(rightNode, context)); }
    var right = evaluate(rightNode, context);
    if (op === "=") { return equal(left, right); }
    if (op === "!=") { return !equal(left, right); }
    var a = toNumber(left), b = toNumber(right);
    if (op === "<") { return a < b; }
    if (op === "<=") { return a <= b; }
    if (op === ">") { return a > b; }
    if (op === ">=") { return a >= b; }
    if (op === "+") { return a + b; }
    if (op === "-") { return a - b; }
    if (op === "*") { return a * b; }
    if (op === "div") { return a / b; }
    return a % b;  // mod
  }

  function evaluate(node, context) {
    switch (node[0]) {
      case "num": case "str": return node[1];
      case "ref": return context.values.hasOwnProperty(node[1]) ? context.values[node[1]] : "";
      case "self": return context.current;
      case "col": return context.columns.hasOwnProperty(node[1]) ? context.columns[node[1]] : "";
      case "neg": return -toNumber(evaluate(node[1], context));
      case "op": return operator(node[1], node[2], node[3], context);
      default:
        return FUNCTIONS[node[1]](node[2].map(function (arg) { return evaluate(arg, context); }), context);
    }
  }
  function holds(node, context) { return toBoolean(evaluate(node, context)); }

  // For tests that compare this evaluator with the server's on the same parsed trees.
  window.weefselSurveyLogic = {
    evaluate: function (tree, values, current, columns) {
      return evaluate(tree, { values: values || {}, current: current || "", columns: columns || {} });
    }
  };

  var form = document.querySelector("form[data-survey-logic]");
  if (!form) { return; }
  var fields = Array.prototype.slice.call(form.querySelectorAll("[data-field]"));

  // What the person typed, as the server will read it: Dutch numbers ("18.000,5") as numbers.
  function fieldValue(element) {
    var name = element.getAttribute("data-field");
    var type = element.getAttribute("data-type");
    var inputs = form.querySelectorAll('[name="' + name + '"]');
    var chosen = [];
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      if (input.type === "radio" || input.type === "checkbox") {
        if (input.checked) { chosen.push(input.value); }
      } else {
        chosen.push(input.value.trim());
      }
    }
    var text = chosen.join(" ");
    if ((type === "integer" || type === "decimal") && text !== "") {
      var cleaned = text.replace(/\s/g, "");
      if (/^-?\d{1,3}(\.\d{3})+(,\d+)?$/.test(cleaned)) { cleaned = cleaned.replace(/\./g, ""); }
      var number = toNumber(cleaned.replace(",", "."));
      return isNaN(number) ? text : number;
    }
    return text;
  }

  function update() {
    var values = {};
    fields.forEach(function (element) {
      var name = element.getAttribute("data-field");
      var relevant = parse(element, "data-relevant");
      var shown = !relevant || holds(relevant, { values: values, current: "", columns: {} });
      if (element.getAttribute("data-type") !== "calculate") { element.hidden = !shown; }
      if (!shown) { values[name] = ""; return; }
      var calculation = parse(element, "data-calculation");
      if (calculation) {
        var result = evaluate(calculation, { values: values, current: "", columns: {} });
        values[name] = typeof result === "number" && !isFinite(result) ? "" : result;
        return;
      }
      var filter = parse(element, "data-choice-filter");
      if (filter) {
        element.querySelectorAll("[data-columns]").forEach(function (choice) {
          var fits = holds(filter, { values: values, current: "", columns: parse(choice, "data-columns") });
          choice.hidden = !fits;
          if (!fits) { choice.querySelector("input").checked = false; }
        });
      }
      values[name] = fieldValue(element);
      var constraint = parse(element, "data-constraint");
      var message = element.querySelector("[data-live-error]");
      if (constraint && message) {
        message.hidden = values[name] === "" ||
          holds(constraint, { values: values, current: values[name], columns: {} });
      }
    });
  }

  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
})();
