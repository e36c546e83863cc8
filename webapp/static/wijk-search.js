// Progressive enhancement of the wijk search on the story form: answers while the resident
// types and chooses a single match in the list, without reloading the page. Without
// JavaScript the "find" button does the same with a round trip that keeps the story.
(function () {
  "use strict";
  var box = document.getElementById("wijk-search");
  var input = document.getElementById("wijk_search");
  var result = document.getElementById("wijk-search-result");
  var select = document.getElementById("wijk");
  var form = box && box.closest("form");
  var token = form && form.querySelector("input[name=csrf_token]");
  if (!box || !input || !result || !select || !window.fetch) {
    return;
  }
  var timer = null;
  var asked = "";

  function show(answer) {
    var text = document.createElement("p");
    text.className = "panel";
    text.textContent = answer.message;
    result.replaceChildren(text);
    if (answer.matches.length === 1) {
      select.value = String(answer.matches[0].id);
    }
  }

  function search(query) {
    if (query === asked) {
      return;
    }
    asked = query;
    var body = new URLSearchParams({ q: query });
    var headers = token ? { "X-CSRFToken": token.value } : {};
    fetch(box.dataset.searchUrl, { method: "POST", body: body, headers: headers })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (answer) {
        if (answer && input.value.trim() === query) {
          show(answer);
        }
      })
      .catch(function () {
        asked = ""; // the button still works: it sends the form
      });
  }

  function readyToSearch(query) {
    return /^\d{4}/.test(query) || (!/^\d/.test(query) && query.length >= 2);
  }

  input.addEventListener("input", function () {
    var query = input.value.trim();
    window.clearTimeout(timer);
    if (readyToSearch(query)) {
      timer = window.setTimeout(search, 400, query);
    }
  });
  box.querySelector("button[name=find_wijk]").addEventListener("click", function (event) {
    event.preventDefault();
    asked = "";
    search(input.value.trim());
  });
})();
