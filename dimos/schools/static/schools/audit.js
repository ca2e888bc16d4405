// The annual audit: scan QR labels with the camera (BarcodeDetector) into the tags field.
// Translated messages come from data-* attributes of #scanner (no inline script: CSP).
(function () {
  "use strict";
  var box = document.getElementById("scanner"), area = document.getElementById("id_tags");
  if (!box || !area) { return; }
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices) { document.getElementById("scan-unsupported").hidden = false; return; }
  box.hidden = false;
  var video = document.getElementById("scan-video"), status = document.getElementById("scan-status");
  var start = document.getElementById("scan-start"), stop = document.getElementById("scan-stop");
  var stream = null, seen = {}, detector = new BarcodeDetector({formats: ["qr_code"]});
  function add(value) {
    if (seen[value]) { return; }
    seen[value] = true;
    area.value = (area.value.trim() ? area.value.trim() + "\n" : "") + value;
    status.textContent = box.dataset.scanned + " " + value;
  }
  function tick() {
    if (!stream) { return; }
    detector.detect(video).then(function (codes) { codes.forEach(function (c) { add(c.rawValue); }); })
      .catch(function () {}).finally(function () { setTimeout(tick, 250); });
  }
  start.addEventListener("click", function () {
    navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}}).then(function (s) {
      stream = s; video.srcObject = s; video.hidden = false; video.play(); start.hidden = true; stop.hidden = false; tick();
    }).catch(function () { status.textContent = box.dataset.noCamera; });
  });
  stop.addEventListener("click", function () {
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); }
    stream = null; video.hidden = true; start.hidden = false; stop.hidden = true;
  });
})();
