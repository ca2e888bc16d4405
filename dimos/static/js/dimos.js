// Shared by every page (loaded by base.html).
// After a failed submit, move focus to the error summary (it has tabindex="-1"): keyboard and
// screen-reader users start at the list of problems, each a link to its field.
(function () {
  var summary = document.querySelector(".error-summary[tabindex]");
  if (summary) { summary.focus(); }
})();
