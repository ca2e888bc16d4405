// The reporting form: pick a point (map click, the keyboard on the map, phone location, typed
// coordinates, or a street chosen from the suggestions),
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
  var coords = form.querySelector("details.coords");

  function fmt(n) { return Number(n).toFixed(5); }

  function setPoint(lat, lon, label, typed) {
    if (!typed) {
      latInput.value = Number(lat).toFixed(6);
      lonInput.value = Number(lon).toFixed(6);
    }
    if (map) {
      if (!marker) {
        marker = L.circleMarker([lat, lon], { radius: 10, color: "#b00020", weight: 3, fillOpacity: 0.6 }).addTo(map);
      } else {
        marker.setLatLng([lat, lon]);
      }
    }
    status.textContent = (label ? label + " — " : "") + (document.documentElement.lang === "en" ? "Point set: " : "Σημείο: ") + fmt(lat) + ", " + fmt(lon);
    if (coords && !typed) { coords.open = true; }
    form.dataset.pinned = "1";
    loadNearby();
  }

  var keysHelp = document.getElementById("map-keys");
  if (mapEl && typeof L !== "undefined") {
    var lat0 = parseFloat(latInput.value) || parseFloat(form.dataset.centreLat);
    var lon0 = parseFloat(lonInput.value) || parseFloat(form.dataset.centreLon);
    // Leaflet's own keys pan the map; here the arrows move the pin instead (below).
    map = L.map(mapEl, { keyboard: false, zoomControl: false }).setView([lat0, lon0], latInput.value ? 17 : 15);
    // The "+" / "−" are drawn, not written: a button whose visible text is a symbol that its
    // name ("Μεγέθυνση") does not contain is a label/content mismatch for axe-core.
    var icon = function (d) {
      return '<svg aria-hidden="true" focusable="false" width="14" height="14" viewBox="0 0 14 14"><path d="' + d + '" stroke="currentColor" stroke-width="2.5" fill="none"/></svg>';
    };
    L.control.zoom({
      zoomInText: icon("M1 7h12M7 1v12"), zoomInTitle: mapEl.dataset.zoomIn || "Zoom in",
      zoomOutText: icon("M1 7h12"), zoomOutTitle: mapEl.dataset.zoomOut || "Zoom out"
    }).addTo(map);
    L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", { maxZoom: 19, attribution: "&copy; OpenStreetMap" }).addTo(map);
    map.on("click", function (e) { setPoint(e.latlng.lat, e.latlng.lng); });
    if (latInput.value && lonInput.value) { setPoint(latInput.value, lonInput.value); }
    mapEl.setAttribute("tabindex", "0");
    if (keysHelp) { keysHelp.hidden = false; }
    var STEPS = { ArrowUp: [0, -1], ArrowDown: [0, 1], ArrowLeft: [-1, 0], ArrowRight: [1, 0] };
    mapEl.addEventListener("keydown", function (e) {
      if (e.target !== mapEl) { return; }  // the zoom buttons keep their own keys
      var step = STEPS[e.key];
      if (step) {
        e.preventDefault();
        var from = marker ? marker.getLatLng() : map.getCenter();
        var zoom = map.getZoom(), px = map.project(from, zoom);  // unrounded pixels: no sideways drift
        var d = e.shiftKey ? 40 : 8;  // screen pixels: the same feel at every zoom
        var to = map.unproject(L.point(px.x + step[0] * d, px.y + step[1] * d), zoom);
        setPoint(to.lat, to.lng);
        if (!map.getBounds().pad(-0.1).contains(to)) { map.panTo(to); }
      } else if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        var c = map.getCenter();
        setPoint(c.lat, c.lng);
      } else if (e.key === "+" || e.key === "=") {
        e.preventDefault(); map.zoomIn();
      } else if (e.key === "-" || e.key === "\u2212") {
        e.preventDefault(); map.zoomOut();
      }
    });
  }

  // Typed coordinates move the pin (and the map) as soon as both are valid numbers.
  function typedPoint() {
    var lat = parseFloat(String(latInput.value).replace(",", ".")), lon = parseFloat(String(lonInput.value).replace(",", "."));
    if (!isFinite(lat) || !isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) { return; }
    setPoint(lat, lon, null, true);
    if (map) { map.setView([lat, lon], Math.max(map.getZoom(), 16)); }
  }
  [latInput, lonInput].forEach(function (input) { input.addEventListener("change", typedPoint); });

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

  // Typed address → the municipality's street list, as an ARIA 1.2 combobox: the server matches
  // without accents or case («μεραρχιας» finds «Μεραρχίας»); ↓/↑ move through the suggestions,
  // Enter chooses one (its point becomes the pin), Escape closes the list.
  var address = document.getElementById("id_address"), listbox = document.getElementById("address-options");
  var count = document.getElementById("address-count");
  var timer = null, options = [], active = -1, en = document.documentElement.lang === "en";
  // The server's normalisation (core/greek.py) in a line: no accents, lower case, final sigma as σ.
  function plain(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/ς/g, "σ").replace(/\s+/g, " ");
  }
  function closeList() {
    listbox.hidden = true; listbox.innerHTML = ""; options = []; active = -1;
    address.setAttribute("aria-expanded", "false"); address.removeAttribute("aria-activedescendant");
  }
  function highlight(i) {
    active = i;
    options.forEach(function (o, j) { o.el.setAttribute("aria-selected", j === i ? "true" : "false"); });
    if (i >= 0) { address.setAttribute("aria-activedescendant", options[i].el.id); options[i].el.scrollIntoView({ block: "nearest" }); }
    else { address.removeAttribute("aria-activedescendant"); }
  }
  function choose(i) {
    var s = options[i].street, number = (address.value.match(/\s+\d+\w*\s*$/) || [""])[0];
    address.value = s.name + number;
    closeList();
    setPoint(s.lat, s.lon, s.name);
    if (map) { map.setView([s.lat, s.lon], 17); }
  }
  function show(streets) {
    listbox.innerHTML = ""; options = []; active = -1;
    streets.forEach(function (s, i) {
      var li = document.createElement("li");
      li.id = "address-option-" + i; li.setAttribute("role", "option"); li.setAttribute("aria-selected", "false");
      li.textContent = s.name;
      li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(i); });
      listbox.appendChild(li);
      options.push({ el: li, street: s });
    });
    listbox.hidden = !options.length;
    address.setAttribute("aria-expanded", options.length ? "true" : "false");
    // A street typed in full (accents and case aside) places the pin without choosing it.
    var typed = plain(address.value.trim().replace(/\s*\d+\w*$/, ""));
    streets.forEach(function (s) {
      if (plain(s.name) === typed) {
        setPoint(s.lat, s.lon, s.name);
        if (map) { map.setView([s.lat, s.lon], 17); }
      }
    });
    count.textContent = options.length
      ? (en ? options.length + " streets found; use the arrow keys to choose." : "Βρέθηκαν " + options.length + " οδοί· επιλέξτε με τα βέλη.")
      : "";
  }
  if (address && listbox) {
    address.setAttribute("role", "combobox");
    address.setAttribute("aria-autocomplete", "list");
    address.setAttribute("aria-expanded", "false");
    address.setAttribute("aria-controls", "address-options");
    address.addEventListener("input", function () {
      clearTimeout(timer);
      var key = address.value.trim().replace(/\s*\d+\w*$/, "");
      if (key.length < 2) { closeList(); return; }
      timer = setTimeout(function () {
        fetch(form.dataset.streetsUrl + "?q=" + encodeURIComponent(key)).then(function (r) { return r.json(); }).then(function (data) {
          show(data.streets || []);
        }).catch(function () {});
      }, 200);
    });
    address.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" && options.length) { e.preventDefault(); highlight((active + 1) % options.length); }
      else if (e.key === "ArrowUp" && options.length) { e.preventDefault(); highlight(active <= 0 ? options.length - 1 : active - 1); }
      else if (e.key === "Enter" && active >= 0) { e.preventDefault(); choose(active); }
      else if (e.key === "Escape" && !listbox.hidden) { e.preventDefault(); closeList(); }
    });
    address.addEventListener("blur", function () { setTimeout(closeList, 150); });
  }

  // Category: show its extra questions, reload nearby reports.
  function selectedCategory() {
    var checked = form.querySelector("input[name=category]:checked");
    return checked ? checked.value : "";
  }
  // Without the script every category's questions are on the page; with it, only the chosen one's.
  function showQuestions() {
    var code = selectedCategory();
    form.querySelectorAll(".attributes").forEach(function (div) { div.hidden = div.dataset.category !== code; });
  }
  showQuestions();
  form.addEventListener("change", function (e) {
    if (e.target.name !== "category") { return; }
    showQuestions();
    loadNearby();
  });

  var nearby = document.getElementById("nearby");
  function loadNearby() {
    var code = selectedCategory();
    if (!code || !latInput.value || !lonInput.value) { nearby.innerHTML = ""; document.getElementById("nearby_checked").value = ""; return; }
    var url = form.dataset.nearbyUrl + "?category=" + encodeURIComponent(code) + "&lat=" + latInput.value + "&lon=" + lonInput.value;
    fetch(url).then(function (r) { return r.ok ? r.text() : ""; }).then(function (html) {
      // The fresh list replaces the one the server showed after a submit (the same ids twice
      // would be duplicate ids).
      var first = document.getElementById("nearby-first");
      if (first) { first.remove(); }
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
