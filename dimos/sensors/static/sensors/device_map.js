// The device form's map: a click sets latitude and longitude (they can also be typed).
(function () {
  var el = document.getElementById("device-map"), lat = document.getElementById("id_lat"), lon = document.getElementById("id_lon");
  if (!window.L || !el || !lat || !lon) return;
  var start = lat.value && lon.value ? [parseFloat(lat.value), parseFloat(lon.value)] : [parseFloat(el.dataset.lat), parseFloat(el.dataset.lon)];
  var map = L.map(el).setView(start, 15);
  L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {maxZoom: 19, attribution: "© OpenStreetMap"}).addTo(map);
  var pin = lat.value && lon.value ? L.marker(start).addTo(map) : null;
  map.on("click", function (e) {
    lat.value = e.latlng.lat.toFixed(6); lon.value = e.latlng.lng.toFixed(6);
    if (pin) { pin.setLatLng(e.latlng); } else { pin = L.marker(e.latlng).addTo(map); }
  });
})();
