// Only improves pages that work without it: a print button, and every section open when printing.
(function () {
  "use strict";
  var button = document.querySelector(".js-print");
  if (button) {
    button.hidden = false;
    var hint = document.querySelector(".js-no-print");
    if (hint) { hint.hidden = true; }
    button.addEventListener("click", function () { window.print(); });
  }
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (d) { d.open = true; });
  });
})();
