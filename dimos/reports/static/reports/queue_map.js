// Staff queue on a map (lazy: built when the details element is opened).
(function () {
  "use strict";
  var el = document.getElementById("queue-map");
  if (!el || typeof L === "undefined") { return; }
  var built = false;
  function build() {
    if (built) { return; }
    built = true;
    var map = L.map(el).setView([parseFloat(el.dataset.lat), parseFloat(el.dataset.lon)], 13);
    L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", { maxZoom: 19, attribution: "&copy; OpenStreetMap" }).addTo(map);
    fetch(el.dataset.url).then(function (r) { return r.json(); }).then(function (data) {
      var pts = [];
      data.reports.forEach(function (r) {
        var m = L.circleMarker([r.lat, r.lon], { radius: 8, color: "#003476", weight: 2, fillOpacity: 0.7 });
        var a = document.createElement("a"); a.href = r.url; a.textContent = r.ref + " · " + r.category + " · " + r.status;
        m.bindPopup(a).addTo(map);
        pts.push([r.lat, r.lon]);
      });
      if (pts.length) { map.fitBounds(pts, { maxZoom: 16, padding: [20, 20] }); }
    }).catch(function () {});
  }
  var details = el.closest("details");
  if (details) { details.addEventListener("toggle", function () { if (details.open) { build(); } }); } else { build(); }
})();
