// Colours the kabupaten/kota boundaries (the GeoJSON at data-geojson) by the
// classes of a values table (data-table: rows with data-code, data-class):
// a Leaflet map (vendored) on a plain background, no tiles. The table and
// the legend beside it stay the accessible source; without script the map
// stays hidden.
"use strict";
document.addEventListener("DOMContentLoaded", async function () {
  var el = document.getElementById("choropleth");
  if (!el || typeof window.L !== "object") return;
  var table = document.getElementById(el.dataset.table);
  if (!table) return;
  var cls = {}, names = {}, shown = {};
  table.querySelectorAll("tbody tr[data-code]").forEach(function (tr) {
    cls[tr.dataset.code] = tr.dataset.class;
    names[tr.dataset.code] = tr.children[1].textContent.trim();
    shown[tr.dataset.code] = tr.children[2].textContent.trim();
  });
  var resp = await fetch(el.dataset.geojson);
  if (!resp.ok) return;
  var geo = await resp.json();
  var fills = ["#edf8e9", "#bae4b3", "#74c476", "#31a354", "#006d2c"];
  el.hidden = false;
  el.removeAttribute("aria-hidden");
  var map = window.L.map(el, { attributionControl: false, zoomSnap: 0.25, preferCanvas: false });
  var layer = window.L.geoJSON(geo, {
    style: function (f) {
      var c = cls[f.properties.code];
      return { color: "#666", weight: 0.4, fillOpacity: 1, fillColor: c === undefined ? "#d9d9d9" : fills[+c] };
    },
    onEachFeature: function (f, l) {
      var code = f.properties.code;
      l.bindTooltip(f.properties.name + (shown[code] ? ": " + shown[code] : ""), { sticky: true });
      l.on("click", function () { window.location.href = "/wilayah/" + code; });
    }
  }).addTo(map);
  map.fitBounds(layer.getBounds());
});
