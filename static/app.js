// Small progressive enhancements; every page works without them.
(function () {
  "use strict";
  // Forms with data-confirm ask before submitting.
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    var msg = form.getAttribute && form.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) { ev.preventDefault(); }
  }, true);
  // htmx requests carry the CSRF token from the page's meta tag.
  document.addEventListener("htmx:configRequest", function (ev) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) { ev.detail.headers["X-CSRF-Token"] = meta.getAttribute("content"); }
  });
})();
