// Saves the application draft shortly after each change (not the files), and says so.
// The texts come from the form's data-autosaved and data-autosave-failed attributes.
(function () {
  "use strict";
  var form = document.getElementById("application-form");
  var status = document.getElementById("autosave-status");
  if (!form || !status) { return; }
  var timer = null;
  // The time makes each save a new message for screen readers (role=status); a failure is said too.
  function say(text) { status.textContent = text; }
  function save() {
    var data = new FormData(form);
    form.querySelectorAll("input[type=file]").forEach(function (input) { data.delete(input.name); });
    data.set("save", "1");
    data.set("autosave", "1");
    fetch(window.location.href, {method: "POST", body: data, credentials: "same-origin"}).then(function (r) {
      if (r.status === 204) {
        var now = new Date();
        var hhmm = String(now.getHours()).padStart(2, "0") + ":" + String(now.getMinutes()).padStart(2, "0");
        say(form.dataset.autosaved + " (" + hhmm + ")");
      } else {
        say(form.dataset.autosaveFailed);
      }
    }, function () { say(form.dataset.autosaveFailed); });
  }
  form.addEventListener("change", function (e) {
    if (e.target.type === "file") { return; }
    clearTimeout(timer);
    timer = setTimeout(save, 600);
  });
})();
