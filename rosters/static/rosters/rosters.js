// Rosters: click a grid cell to fill the assign form (confirmations are
// app.js's <form data-confirm>);
// the mall switcher submits on change. (CSP: no inline script.)
document.addEventListener("click", function (event) {
  var cell = event.target.closest(".rosters-cell");
  var form = document.getElementById("assign-form");
  if (cell && form && !event.target.closest("form")) {
    form.querySelector("[name=staff]").value = cell.dataset.staff;
    form.querySelector("[name=date]").value = cell.dataset.date;
    document.querySelectorAll(".rosters-picked").forEach(function (c) { c.classList.remove("rosters-picked"); });
    cell.classList.add("rosters-picked");
    form.querySelector("[name=shift_type]").focus();
  }
});
document.addEventListener("change", function (event) {
  if (event.target.matches("[data-autosubmit]")) {
    event.target.form.submit();
  }
});
