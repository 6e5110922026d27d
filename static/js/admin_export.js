// The admin's export page: "Select all" ticks or clears every column of the
// export, and follows the columns when they are ticked one by one. Bound
// here because the Content Security Policy blocks the inline onchange
// handler django-import-export's own template uses.
(function () {
  "use strict";
  function columns() {
    return document.querySelectorAll('.selectable-field-export-row input[type="checkbox"]:not(.select-toggle)');
  }
  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.querySelector("input.select-toggle");
    if (!toggle) { return; }
    toggle.addEventListener("change", function () {
      columns().forEach(function (box) { box.checked = toggle.checked; });
    });
    columns().forEach(function (box) {
      box.addEventListener("change", function () {
        toggle.checked = Array.prototype.every.call(columns(), function (b) { return b.checked; });
      });
    });
  });
})();
