/* Open every <details> before printing (closed ones would print empty) and restore them
 * afterwards. The pages work without this script; it only improves the printout. */
(function () {
  "use strict";
  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = [];
    document.querySelectorAll("details:not([open])").forEach(function (el) {
      el.setAttribute("open", "");
      opened.push(el);
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (el) {
      el.removeAttribute("open");
    });
    opened = [];
  });
})();
