// Draw each chart whose data sits in the <script type="application/json">
// just before its <canvas data-chart>. Runs on load and after each HTMX
// refresh of the panels. A "small" chart is one series of a set of small
// multiples (mallservice.dashboard.chart_specs): no legend, few ticks, and
// the set's shared maximum so the heights compare.
(function () {
  function options(spec) {
    var small = Boolean(spec.small);
    var y = { beginAtZero: true, ticks: { precision: 0, maxTicksLimit: small ? 3 : 6 } };
    if (small && spec.max) { y.suggestedMax = spec.max; }
    return {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      elements: { point: { radius: small ? 0 : 2 } },
      plugins: {
        title: { display: true, text: spec.title, font: { size: small ? 12 : 14 } },
        legend: { display: !small && spec.data.datasets.length > 1, position: "bottom" }
      },
      scales: {
        x: { ticks: { autoSkip: true, maxRotation: 0, maxTicksLimit: small ? 4 : 8 } },
        y: y
      }
    };
  }
  function draw(root) {
    if (typeof Chart === "undefined") { return; }
    root.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var data = canvas.previousElementSibling;
      if (!data || canvas.dataset.drawn) { return; }
      var spec = JSON.parse(data.textContent);
      new Chart(canvas, { type: spec.type, data: spec.data, options: options(spec) });
      canvas.dataset.drawn = "1";
    });
  }
  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.body.addEventListener("htmx:afterSwap", function (event) { draw(event.target); });
})();
