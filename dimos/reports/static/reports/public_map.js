// Public map of reports: markers and clusters computed by the server for the
// current viewport (no client clustering library). Works without tiles.
(function () {
  "use strict";
  var el = document.getElementById("public-map");
  if (!el || typeof L === "undefined") { return; }
  var map = L.map(el).setView([parseFloat(el.dataset.lat), parseFloat(el.dataset.lon)], 13);
  L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", { maxZoom: 19, attribution: "&copy; OpenStreetMap" }).addTo(map);
  var layer = L.layerGroup().addTo(map);
  var base = el.dataset.url;
  function esc(s) { var d = document.createElement("div"); d.textContent = s; return d.innerHTML; }
  function load() {
    var b = map.getBounds();
    var bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (n) { return n.toFixed(5); }).join(",");
    var sep = base.indexOf("?") >= 0 ? "&" : "?";
    fetch(base + sep + "bbox=" + bbox + "&zoom=" + map.getZoom()).then(function (r) { return r.json(); }).then(function (data) {
      layer.clearLayers();
      data.features.forEach(function (f) {
        var p = f.properties, ll = [f.geometry.coordinates[1], f.geometry.coordinates[0]];
        if (p.count > 1) {
          var size = Math.min(60, 28 + Math.log(p.count) * 6);
          var icon = L.divIcon({ className: "cluster", html: "<span>" + p.count + "</span>", iconSize: [size, size] });
          L.marker(ll, { icon: icon, keyboard: true, title: p.count + "" }).on("click", function () { map.setView(ll, Math.min(map.getZoom() + 2, 19)); }).addTo(layer);
        } else {
          var m = L.marker(ll, { icon: L.divIcon({ className: "pin pin-" + p.status, html: "<span>" + esc(p.icon || "•") + "</span>", iconSize: [30, 30] }), title: p.category });
          m.bindPopup('<a href="' + p.url + '">' + esc(p.category) + "</a>").addTo(layer);
        }
      });
    }).catch(function () {});
  }
  map.on("moveend", load);
  load();
})();
