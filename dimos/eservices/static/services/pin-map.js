// The optional map of an address field: a click places the point and fills the coordinates.
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }
  document.querySelectorAll(".pin-map").forEach(function (el) {
    var name = el.id.slice(4);
    var lat = document.getElementById("id_" + name + "__lat");
    var lon = document.getElementById("id_" + name + "__lon");
    var map = L.map(el).setView([parseFloat(el.dataset.lat), parseFloat(el.dataset.lon)], 13);
    L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {maxZoom: 19, attribution: "© OpenStreetMap"}).addTo(map);
    var marker = null;
    function place(latlng) { if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng).addTo(map); } }
    if (lat.value && lon.value) { place([parseFloat(lat.value), parseFloat(lon.value)]); }
    map.on("click", function (e) {
      place(e.latlng);
      lat.value = e.latlng.lat.toFixed(6);
      lon.value = e.latlng.lng.toFixed(6);
    });
  });
})();
