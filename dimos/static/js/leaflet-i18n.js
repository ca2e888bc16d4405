/* Leaflet in the page's language: the zoom buttons, the attribution's "Leaflet" link
   and a marker's alternative text come from translated strings that the template
   puts on this script's tag (templates/includes/leaflet.html). Loaded right after
   leaflet.js and before any map is made, so every map picks them up as defaults. */
(function () {
  "use strict";
  var tag = document.currentScript;
  if (!window.L || !tag) { return; }
  var t = tag.dataset;
  function esc(s) { return String(s).replace(/[&<>"]/g, function (c) { return {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;"}[c]; }); }
  L.Control.Zoom.prototype.options.zoomInTitle = t.zoomIn;
  L.Control.Zoom.prototype.options.zoomOutTitle = t.zoomOut;
  L.Control.Attribution.prototype.options.prefix =
    "<a href=\"https://leafletjs.com\" title=\"" + esc(t.leafletTitle) + "\" lang=\"en\">Leaflet</a>";
  L.Marker.prototype.options.alt = t.marker;
})();
