// Shared by every page (loaded by base.html).
// After a failed submit, move focus to the error summary (it has tabindex="-1"): keyboard and
// screen-reader users start at the list of problems, each a link to its field.
(function () {
  var summary = document.querySelector(".error-summary[tabindex]");
  if (summary) { summary.focus(); }
})();

// The header menu is a <details> (it works without JavaScript). Here: its button says whether
// it is open (aria-expanded), Escape folds it and returns focus to the button, and on wide
// screens (where the button is hidden) it stays open.
(function () {
  var menu = document.querySelector("details[data-menu]");
  if (!menu) { return; }
  var button = menu.querySelector("summary");
  var wide = window.matchMedia("(min-width: 48rem)");
  function sync() { button.setAttribute("aria-expanded", menu.open ? "true" : "false"); }
  function fit() { menu.open = wide.matches; sync(); }
  menu.addEventListener("toggle", sync);
  menu.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && menu.open && !wide.matches) {
      menu.open = false;
      button.focus();
    }
  });
  wide.addEventListener("change", fit);
  fit();
})();

// File inputs with a translated face (core/widgets/file_input.html): show the chosen files' names,
// or the translated «no file chosen», beside the button. Without JavaScript the names stay hidden.
(function () {
  document.querySelectorAll(".file-input input[type=file]").forEach(function (input) {
    var names = input.parentNode.querySelector(".file-input-names");
    if (!names) { return; }
    function show() {
      var chosen = Array.prototype.map.call(input.files || [], function (f) { return f.name; });
      names.textContent = chosen.length ? chosen.join(", ") : names.dataset.none;
    }
    names.hidden = false;
    show();
    input.addEventListener("change", show);
  });
})();
