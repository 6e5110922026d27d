// Long shop lists (intake, fault report, assignment): a box above the list
// filters it as one types, no CDN widget. Choosing a floor reloads the list
// with that floor's places (HTMX, hx-get on the floor select); the typed
// filter applies to the new list too.
(function () {
  "use strict";

  function applyFilter(select, text) {
    var words = text.trim().toLowerCase().split(/\s+/).filter(Boolean);
    var shown = [];
    Array.prototype.forEach.call(select.options, function (option) {
      if (!option.value) {
        return;
      }
      var label = option.text.toLowerCase();
      option.hidden = !words.every(function (word) { return label.indexOf(word) >= 0; });
      if (!option.hidden) {
        shown.push(option);
      }
    });
    // One place left: take it, so Enter or Tab moves on.
    if (words.length && shown.length === 1) {
      select.value = shown[0].value;
    }
  }

  function addFilterBox(select) {
    if (select.dataset.filterBox) {
      return;
    }
    select.dataset.filterBox = "1";
    var box = document.createElement("input");
    box.type = "search";
    box.className = "form-control form-control-sm complaints-filter-box";
    box.placeholder = select.getAttribute("data-search-placeholder") || "";
    box.setAttribute("aria-label", box.placeholder);
    box.setAttribute("data-filter-for", select.name);
    box.setAttribute("data-testid", "filter-" + select.name);
    box.addEventListener("input", function () { applyFilter(select, box.value); });
    // Enter in the box must not send the form.
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
      }
    });
    select.parentNode.insertBefore(box, select);
  }

  function init(root) {
    Array.prototype.forEach.call(root.querySelectorAll("select[data-searchable]"), addFilterBox);
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.body.addEventListener("htmx:afterSwap", function (event) {
    var select = event.detail.target;
    if (select.matches && select.matches("select[data-searchable]")) {
      var box = select.parentNode.querySelector("input[data-filter-for='" + select.name + "']");
      if (box && box.value) {
        applyFilter(select, box.value);
      }
    }
  });
})();
