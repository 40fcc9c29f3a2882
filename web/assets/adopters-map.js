// Draws the adopters of a solution on a Leaflet map without tiles: a plain
// background, the publishing region and each adopting region at its label
// point, a line from the publisher to each adopter, and a legend. The table
// beside the map holds the same values and stays the accessible version;
// without scripts only the table shows.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var box = document.querySelector('[data-map="adopters"]');
  var data = document.getElementById("adopters-data");
  if (!box || !data || typeof window.L !== "object") return;
  var points;
  try {
    points = JSON.parse(data.textContent);
  } catch (e) {
    return;
  }
  if (!Array.isArray(points) || points.length < 2) return;
  box.parentElement.hidden = false;
  var L = window.L;
  var map = L.map(box, { attributionControl: false, zoomSnap: 0.25, maxZoom: 10, minZoom: 3 });
  var publisher = points[0];
  var latlngs = [];
  var colour = function (p, i) {
    if (i === 0) return "#b34700";
    return p.stage === "live" || p.stage === "evaluated" ? "#0b6e4f" : "#7aa6c2";
  };
  points.forEach(function (p, i) {
    var ll = [p.lat, p.lng];
    latlngs.push(ll);
    if (i > 0) {
      L.polyline([[publisher.lat, publisher.lng], ll], { color: "#7a8793", weight: 1, opacity: 0.7 }).addTo(map);
    }
    var m = L.circleMarker(ll, { radius: i === 0 ? 8 : 6, color: "#fff", weight: 1.5, fillColor: colour(p, i), fillOpacity: 1 }).addTo(map);
    var label = document.createElement("a");
    label.href = p.href;
    label.textContent = p.name + " — " + p.label;
    m.bindTooltip(p.name, { permanent: points.length <= 8, direction: "right", offset: [6, 0] });
    m.bindPopup(label);
  });
  map.fitBounds(L.latLngBounds(latlngs).pad(0.3), { maxZoom: 8 });
  var legend = L.control({ position: "bottomleft" });
  legend.onAdd = function () {
    var div = L.DomUtil.create("div", "map-legend");
    [["publisher", box.dataset.legendPublisher], ["adopter", box.dataset.legendAdopter], ["live", box.dataset.legendLive]].forEach(function (row) {
      var line = document.createElement("div");
      var dot = document.createElement("span");
      dot.className = "dot " + row[0];
      line.appendChild(dot);
      line.appendChild(document.createTextNode(row[1]));
      div.appendChild(line);
    });
    return div;
  };
  legend.addTo(map);
});
