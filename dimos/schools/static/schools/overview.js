// The schools overview map: circles sized by devices per pupil, on the units' outlines.
// Data comes from json_script blocks and data-* attributes (no inline script: CSP).
(function () {
  "use strict";
  var el = document.getElementById("schools-map");
  if (!window.L || !el) { return; }
  var points = JSON.parse(document.getElementById("school-points").textContent);
  var map = L.map(el, {scrollWheelZoom: false}).setView([parseFloat(el.dataset.lat), parseFloat(el.dataset.lon)], 12);
  L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {maxZoom: 18, attribution: "© OpenStreetMap"}).addTo(map);
  // Unit outlines are drawn from our own data, so the map means something without tiles.
  JSON.parse(document.getElementById("school-units").textContent).forEach(function (u) {
    L.geoJSON(u.boundary, {style: {color: "#4a4f55", weight: 1, fillColor: "#ffffff", fillOpacity: 0.35}, interactive: false}).addTo(map);
  });
  var bounds = [];
  points.forEach(function (p) {
    var r = 6 + Math.min(18, (p.per_pupil || 0) * 40);
    var m = L.circleMarker([p.lat, p.lon], {radius: r, color: "#003476", weight: 2, fillColor: "#2f7dd1", fillOpacity: 0.55}).addTo(map);
    var div = document.createElement("div");
    if (p.url) {
      var a = document.createElement("a"); a.href = p.url; a.textContent = p.name;
      div.appendChild(a);
    } else {
      div.appendChild(document.createTextNode(p.name));
    }
    div.appendChild(document.createTextNode(" · " + p.devices + " / " + (p.per_pupil === null ? "—" : p.per_pupil)));
    m.bindPopup(div); m.bindTooltip(p.name);
    bounds.push([p.lat, p.lon]);
  });
  if (bounds.length) { map.fitBounds(bounds, {padding: [20, 20]}); }
})();
