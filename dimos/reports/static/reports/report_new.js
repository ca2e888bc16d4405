// The reporting form: pick a point (map click, phone location, or typed street),
// show nearby open reports of the chosen category, suggest a category from the
// description. Everything also works without this script (plain form fields) and
// the map works without tiles (the marker and the click still work).
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) { return; }
  var latInput = document.getElementById("id_lat"), lonInput = document.getElementById("id_lon");
  var status = document.getElementById("pin-status");
  var mapEl = document.getElementById("pick-map");
  var map = null, marker = null;
  var T = {
    pinned: mapEl ? mapEl.getAttribute("data-pinned") : "",
  };

  function fmt(n) { return Number(n).toFixed(5); }

  function setPoint(lat, lon, label) {
    latInput.value = Number(lat).toFixed(6);
    lonInput.value = Number(lon).toFixed(6);
    if (map) {
      if (!marker) {
        marker = L.circleMarker([lat, lon], { radius: 10, color: "#b00020", weight: 3, fillOpacity: 0.6 }).addTo(map);
      } else {
        marker.setLatLng([lat, lon]);
      }
    }
    status.textContent = (label ? label + " — " : "") + (document.documentElement.lang === "en" ? "Point set: " : "Σημείο: ") + fmt(lat) + ", " + fmt(lon);
    form.dataset.pinned = "1";
    loadNearby();
  }

  if (mapEl && typeof L !== "undefined") {
    var lat0 = parseFloat(latInput.value) || parseFloat(form.dataset.centreLat);
    var lon0 = parseFloat(lonInput.value) || parseFloat(form.dataset.centreLon);
    map = L.map(mapEl).setView([lat0, lon0], latInput.value ? 17 : 15);
    L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", { maxZoom: 19, attribution: "&copy; OpenStreetMap" }).addTo(map);
    map.on("click", function (e) { setPoint(e.latlng.lat, e.latlng.lng); });
    if (latInput.value && lonInput.value) { setPoint(latInput.value, lonInput.value); }
  }

  var locate = document.getElementById("use-location");
  if (locate) {
    if (!("geolocation" in navigator)) { locate.hidden = true; }
    locate.addEventListener("click", function () {
      status.textContent = document.documentElement.lang === "en" ? "Finding your location…" : "Αναζήτηση της θέσης σας…";
      navigator.geolocation.getCurrentPosition(function (pos) {
        setPoint(pos.coords.latitude, pos.coords.longitude);
        if (map) { map.setView([pos.coords.latitude, pos.coords.longitude], 17); }
      }, function () {
        status.textContent = document.documentElement.lang === "en" ? "Your location is not available; tap the map or type the address." : "Η θέση σας δεν είναι διαθέσιμη· πατήστε στον χάρτη ή γράψτε τη διεύθυνση.";
      }, { enableHighAccuracy: true, timeout: 10000 });
    });
  }

  // Typed address → the municipality's street list.
  var address = document.getElementById("id_address"), list = document.getElementById("street-list");
  var streets = {}, timer = null;
  if (address) {
    address.addEventListener("input", function () {
      clearTimeout(timer);
      var q = address.value.trim();
      var key = q.replace(/\s*\d+.*$/, "");
      if (streets[key]) { setPoint(streets[key].lat, streets[key].lon, key); if (map) { map.setView([streets[key].lat, streets[key].lon], 17); } return; }
      if (q.length < 2) { return; }
      timer = setTimeout(function () {
        fetch(form.dataset.streetsUrl + "?q=" + encodeURIComponent(key)).then(function (r) { return r.json(); }).then(function (data) {
          list.innerHTML = "";
          data.streets.forEach(function (s) {
            streets[s.name] = s;
            var opt = document.createElement("option"); opt.value = s.name; list.appendChild(opt);
          });
          if (streets[key]) { setPoint(streets[key].lat, streets[key].lon, key); if (map) { map.setView([streets[key].lat, streets[key].lon], 17); } }
        }).catch(function () {});
      }, 250);
    });
  }

  // Category: show its extra questions, reload nearby reports.
  function selectedCategory() {
    var checked = form.querySelector("input[name=category]:checked");
    return checked ? checked.value : "";
  }
  form.addEventListener("change", function (e) {
    if (e.target.name !== "category") { return; }
    var code = selectedCategory();
    form.querySelectorAll(".attributes").forEach(function (div) { div.hidden = div.dataset.category !== code; });
    loadNearby();
  });

  var nearby = document.getElementById("nearby");
  function loadNearby() {
    var code = selectedCategory();
    if (!code || !latInput.value || !lonInput.value) { nearby.innerHTML = ""; document.getElementById("nearby_checked").value = ""; return; }
    var url = form.dataset.nearbyUrl + "?category=" + encodeURIComponent(code) + "&lat=" + latInput.value + "&lon=" + lonInput.value;
    fetch(url).then(function (r) { return r.ok ? r.text() : ""; }).then(function (html) {
      nearby.innerHTML = html;
      // The citizen has now seen the nearby reports (if any): no second check on submit.
      document.getElementById("nearby_checked").value = "1";
    }).catch(function () {});
  }

  // Suggest a category from the description; the citizen decides.
  var description = document.getElementById("id_description"), suggestion = document.getElementById("suggestion");
  var stimer = null;
  if (description && suggestion) {
    description.addEventListener("input", function () {
      clearTimeout(stimer);
      stimer = setTimeout(function () {
        if (selectedCategory()) { suggestion.hidden = true; return; }
        fetch(form.dataset.suggestUrl + "?text=" + encodeURIComponent(description.value.slice(0, 1000))).then(function (r) { return r.json(); }).then(function (data) {
          if (!data.suggestion || selectedCategory()) { suggestion.hidden = true; return; }
          var en = document.documentElement.lang === "en";
          suggestion.innerHTML = "";
          suggestion.appendChild(document.createTextNode((en ? "Suggested category: " : "Προτεινόμενη κατηγορία: ") + data.suggestion.name + " "));
          var btn = document.createElement("button");
          btn.type = "button"; btn.className = "button button-secondary";
          btn.textContent = en ? "Choose it" : "Επιλογή";
          btn.addEventListener("click", function () {
            var radio = form.querySelector("input[name=category][value='" + data.suggestion.code + "']");
            if (radio) { radio.checked = true; radio.dispatchEvent(new Event("change", { bubbles: true })); radio.focus(); }
            suggestion.hidden = true;
          });
          suggestion.appendChild(btn);
          suggestion.hidden = false;
        }).catch(function () {});
      }, 400);
    });
  }

  var photos = document.getElementById("id_photos");
  if (photos) {
    photos.addEventListener("change", function () {
      if (photos.files.length > 3) {
        photos.setCustomValidity(document.documentElement.lang === "en" ? "Up to 3 photos." : "Έως 3 φωτογραφίες.");
        photos.reportValidity();
      } else { photos.setCustomValidity(""); }
    });
  }
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
