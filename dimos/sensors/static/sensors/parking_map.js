// The public parking map: drawn from the list's data-* rows, redrawn after each htmx refresh.
(function () {
  var el = document.getElementById("parking-map");
  if (!window.L || !el) return;
  var map = L.map(el).setView([parseFloat(el.dataset.lat), parseFloat(el.dataset.lon)], 16);
  L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {maxZoom: 19, attribution: "© OpenStreetMap"}).addTo(map);
  var layer = L.layerGroup().addTo(map);
  function draw() {
    layer.clearLayers();
    var bounds = [];
    document.querySelectorAll("#parking-live [data-lat]").forEach(function (row) {
      var lat = parseFloat(row.dataset.lat), lon = parseFloat(row.dataset.lon), free = parseInt(row.dataset.free, 10);
      var m = L.circleMarker([lat, lon], {radius: 12, color: "#1f2933", weight: 2, fillColor: free > 0 ? "#1a7f37" : "#b42318", fillOpacity: 0.9});
      m.bindTooltip(row.dataset.name + ": " + row.dataset.label, {permanent: false});
      m.addTo(layer); bounds.push([lat, lon]);
    });
    if (bounds.length && !draw.fitted) { map.fitBounds(bounds, {padding: [30, 30]}); draw.fitted = true; }
  }
  draw();
  document.body.addEventListener("htmx:afterSwap", draw);
})();
