// Makes the network page interactive with Cytoscape.js (vendored): the same
// graph as the server-drawn map, with regions placed at their map points.
"use strict";
document.addEventListener("DOMContentLoaded", async function () {
  var el = document.getElementById("network-graph");
  if (!el || typeof window.cytoscape !== "function") return;
  var resp = await fetch(el.dataset.src);
  if (!resp.ok) return;
  var net = (await resp.json()).data;
  var elements = net.nodes.map(function (n) {
    return { group: "nodes", data: { id: n.code, name: n.name }, position: { x: n.x, y: n.y } };
  }).concat(net.edges.map(function (e, i) {
    return { group: "edges", data: { id: "e" + i, source: e.source, target: e.target, agreement: e.agreement_id, title: e.title, status: e.status } };
  }));
  el.hidden = false;
  // Positions are map points on a 1000-unit-wide map of Indonesia. Fitting
  // two nearby regions would zoom in until a dot fills the screen, so the
  // zoom is bounded: at most maxZoom after fitting, never beyond the
  // limits when the user zooms, and labels keep a readable size.
  var maxZoom = 1.6;
  var cy = window.cytoscape({
    container: el,
    elements: elements,
    layout: { name: "preset", fit: false },
    minZoom: 0.5,
    maxZoom: 6,
    wheelSensitivity: 0.3,
    style: [
      { selector: "node", style: { "background-color": "#0b6e4f", label: "data(name)", "font-size": 9, width: 8, height: 8,
        "text-valign": "top", "text-margin-y": -4, "text-outline-color": "#fff", "text-outline-width": 2, color: "#1a1a1a",
        "min-zoomed-font-size": 6 } },
      { selector: "edge", style: { "line-color": "#c26a00", width: 2, "curve-style": "bezier" } }
    ]
  });
  cy.fit(undefined, 60);
  if (cy.zoom() > maxZoom) {
    cy.zoom(maxZoom);
    cy.center();
  }
  // The zoom reached, for the browser test and for anyone debugging.
  el.dataset.zoom = cy.zoom().toFixed(2);
  cy.on("tap", "node", function (ev) { location.href = "/wilayah/" + ev.target.id(); });
  cy.on("tap", "edge", function (ev) { location.href = "/kerjasama/" + ev.target.data("agreement"); });
  var map = document.querySelector("figure.network");
  if (map) map.classList.add("secondary");
});
