// A small map of one report's spot. Works without tiles: the marker still shows.
(function () {
  "use strict";
  var el = document.getElementById("report-map");
  if (!el || typeof L === "undefined") { return; }
  var lat = parseFloat(el.dataset.lat), lon = parseFloat(el.dataset.lon);
  var map = L.map(el, { scrollWheelZoom: false }).setView([lat, lon], 17);
  L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
    maxZoom: 19, attribution: "&copy; OpenStreetMap"
  }).addTo(map);
  L.circleMarker([lat, lon], { radius: 9, color: "#b00020", weight: 3, fillOpacity: 0.6 }).addTo(map);
})();
