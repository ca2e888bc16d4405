// Response templates fill the message box of the status form.
(function () {
  "use strict";
  var select = document.getElementById("id_template");
  if (!select) { return; }
  select.addEventListener("change", function () {
    var target = document.getElementById(select.dataset.target);
    var opt = select.options[select.selectedIndex];
    if (target && select.value) { target.value = select.value; }
    var status = document.getElementById("id_status");
    if (status && opt && opt.dataset.status) {
      for (var i = 0; i < status.options.length; i++) { if (status.options[i].value === opt.dataset.status) { status.selectedIndex = i; } }
    }
  });
})();
