// The operator dashboard's map: one marker per row of the devices table (same data, shape and colour).
(function () {
  var el = document.getElementById("devices-map");
  if (!window.L || !el) return;
  var map = L.map(el).setView([parseFloat(el.dataset.lat), parseFloat(el.dataset.lon)], 15);
  L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {maxZoom: 19, attribution: "© OpenStreetMap"}).addTo(map);
  var shapes = {online: "●", offline: "■", alarm: "▲"};
  var bounds = [];
  document.querySelectorAll("#devices-table [data-lat]").forEach(function (row) {
    var state = row.dataset.state, ll = [parseFloat(row.dataset.lat), parseFloat(row.dataset.lon)];
    var icon = L.divIcon({className: "sensor-icon", html: '<span class="sensor-' + state + '">' + shapes[state] + "</span>", iconSize: [22, 22]});
    L.marker(ll, {icon: icon, title: row.dataset.name}).addTo(map); bounds.push(ll);
  });
  if (bounds.length) map.fitBounds(bounds, {padding: [20, 20]});
})();
