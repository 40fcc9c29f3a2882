// Draws a line chart (uPlot, vendored) above every <table data-chart="line">.
// The table stays the accessible source and the fallback without script:
// the first column holds the x labels (periods, in order), every further
// column is one series named by its header; a cell's data-value is its
// number (a cell without one is a gap). Optional: data-height (pixels),
// data-invert="y" (smaller values on top: ranks, 1 the best).
// Reusable for any series table (rank history, impact).
"use strict";
(function () {
  var colours = ["#0b6e4f", "#c0392b", "#2e86c1", "#d68910", "#7d3c98", "#17a589", "#5d6d7e", "#a04000"];
  function draw(table) {
    if (typeof window.uPlot !== "function") return;
    var heads = table.querySelectorAll("thead th");
    var rows = table.querySelectorAll("tbody tr");
    if (heads.length < 2 || rows.length < 1) return;
    var labels = [], xs = [], series = [];
    for (var s = 1; s < heads.length; s++) series.push([]);
    rows.forEach(function (tr, i) {
      var cells = tr.children;
      labels.push(cells[0].textContent.trim());
      xs.push(i);
      for (var s = 1; s < heads.length; s++) {
        var c = cells[s], v = c && c.dataset.value;
        series[s - 1].push(v === undefined || v === "" ? null : parseFloat(v));
      }
    });
    var box = document.createElement("div");
    box.className = "chart";
    table.parentNode.insertBefore(box, table);
    var opts = {
      width: Math.max(240, box.clientWidth || table.clientWidth || 600),
      height: parseInt(table.dataset.height || "260", 10),
      scales: { x: { time: false }, y: table.dataset.invert === "y" ? { dir: -1 } : {} },
      axes: [
        { values: function (u, splits) { return splits.map(function (i) { return Number.isInteger(i) && labels[i] !== undefined ? labels[i] : ""; }); } },
        {}
      ],
      series: [{ label: heads[0].textContent.trim(), value: function (u, i) { return i == null ? "" : labels[i]; } }].concat(
        series.map(function (_, k) {
          return { label: heads[k + 1].textContent.trim(), stroke: colours[k % colours.length], width: 2, spanGaps: true, points: { size: 5 } };
        }))
    };
    var plot = new window.uPlot(opts, [xs].concat(series), box);
    if (window.ResizeObserver) {
      new ResizeObserver(function () { plot.setSize({ width: Math.max(240, box.clientWidth), height: opts.height }); }).observe(box);
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("table[data-chart=line]").forEach(draw);
  });
})();
