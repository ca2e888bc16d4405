// A second click on "submit" does not send the application twice.
(function () {
  "use strict";
  var form = document.getElementById("submit-form");
  if (!form) { return; }
  form.addEventListener("submit", function (e) {
    var button = form.querySelector("button");
    if (button.dataset.sent) { e.preventDefault(); return; }
    button.dataset.sent = "1";
    button.setAttribute("aria-disabled", "true");
  });
})();
