// The DANFE page's "Imprimir" button (inline handlers are refused by the CSP).
(function () {
  "use strict";
  document.addEventListener("click", function (ev) {
    var b = ev.target.closest && ev.target.closest("[data-print]");
    if (b) { ev.preventDefault(); window.print(); }
  });
})();
