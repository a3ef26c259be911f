/* The portal's only script: "In trang" prints the page (without it, the link opens the
 * print layout ?in=1), and closed <details> open while printing. Nothing else needs JS. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-print]");
    if (!target || typeof window.print !== "function") {
      return;
    }
    event.preventDefault();
    window.print();
  });
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
