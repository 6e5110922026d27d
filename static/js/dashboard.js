// Draw each chart whose data sits in the <script type="application/json">
// just before its <canvas data-chart>. Runs on load and after each HTMX
// refresh of the panels.
(function () {
  function draw(root) {
    if (typeof Chart === "undefined") { return; }
    root.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var data = canvas.previousElementSibling;
      if (!data || canvas.dataset.drawn) { return; }
      var spec = JSON.parse(data.textContent);
      new Chart(canvas, {
        type: spec.type,
        data: spec.data,
        options: {
          animation: false,
          responsive: true,
          plugins: { title: { display: true, text: spec.title } }
        }
      });
      canvas.dataset.drawn = "1";
    });
  }
  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.body.addEventListener("htmx:afterSwap", function (event) { draw(event.target); });
})();
