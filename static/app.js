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
  // On phones every table shows its rows as cards (app.css): each cell is
  // labelled, in data-label, with its column's header (sort arrows left out).
  // Cells spanning several columns (an empty list's message) get no label.
  function labelCells(root) {
    var tables = root.querySelectorAll("main table");
    for (var i = 0; i < tables.length; i++) {
      var heads = tables[i].querySelectorAll("thead tr:last-child > th");
      var labels = [];
      for (var h = 0; h < heads.length; h++) {
        var text = (heads[h].textContent || "").replace(/[\u2191\u2193\u25b2\u25bc]/g, "").trim();
        for (var s = 0; s < (heads[h].colSpan || 1); s++) { labels.push(text); }
      }
      var rows = tables[i].querySelectorAll("tbody > tr");
      for (var r = 0; r < rows.length; r++) {
        var col = 0;
        for (var c = 0; c < rows[r].cells.length; c++) {
          var cell = rows[r].cells[c];
          if ((cell.colSpan || 1) === 1 && labels[col] && !cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", labels[col]);
          }
          col += cell.colSpan || 1;
        }
      }
    }
  }
  labelCells(document);
  document.addEventListener("htmx:afterSwap", function () { labelCells(document); });
  document.addEventListener("cp:swapped", function () { labelCells(document); });
  // Upload forms, <form data-upload="ID">, are sent with XMLHttpRequest so
  // that their <progress data-upload-progress> follows the upload; element #ID
  // of the server's answer then replaces the page's own #ID. Without
  // JavaScript the form posts normally and the server answers the whole page.
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (ev.defaultPrevented || !form.matches || !form.matches("form[data-upload]") || !window.FormData || !window.DOMParser) { return; }
    ev.preventDefault();
    var regionId = form.getAttribute("data-upload");
    var bar = form.querySelector("progress[data-upload-progress]");
    var status = form.querySelector("[data-upload-status]");
    var buttons = form.querySelectorAll("button, input[type=submit]");
    var say = function (msg) { if (status) { status.textContent = msg; } };
    var busy = function (on) {
      for (var i = 0; i < buttons.length; i++) { buttons[i].disabled = on; }
      form.setAttribute("aria-busy", on ? "true" : "false");
      if (bar) { bar.hidden = !on; }
    };
    var data = new FormData(form);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) { xhr.setRequestHeader("X-CSRF-Token", meta.getAttribute("content")); }
    xhr.upload.addEventListener("progress", function (e) {
      if (!e.lengthComputable || !bar) { return; }
      var pct = Math.floor(e.loaded * 100 / e.total);
      bar.value = pct;
      say("Enviando o arquivo… " + pct + "%");
    });
    xhr.upload.addEventListener("load", function () {
      if (bar) { bar.removeAttribute("value"); } // indeterminate while the server checks the lines
      say("Arquivo enviado; conferindo as linhas…");
    });
    xhr.addEventListener("load", function () {
      // <form data-upload-follow>: when the server answered with a redirect
      // (the upload was accepted), go to that page as a plain post would.
      if (form.hasAttribute("data-upload-follow") && xhr.status < 400 && xhr.responseURL &&
          xhr.responseURL.split("#")[0] !== form.action) {
        window.location.assign(xhr.responseURL);
        return;
      }
      busy(false);
      say("");
      var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
      var fresh = doc.getElementById(regionId);
      if (!fresh) { // an error page (403, 413, 500…): keep its message
        var msg = doc.querySelector("[data-testid=error-page] p");
        var box = document.createElement("div");
        box.className = "flash flash-error";
        box.setAttribute("role", "alert");
        box.textContent = (msg && msg.textContent) || ("O envio falhou (HTTP " + xhr.status + ").");
        fresh = document.createElement("section");
        fresh.id = regionId;
        fresh.appendChild(box);
      }
      var current = document.getElementById(regionId);
      if (current) {
        current.replaceWith(document.importNode(fresh, true));
        document.getElementById(regionId).scrollIntoView({ block: "start" });
        document.dispatchEvent(new CustomEvent("cp:swapped"));
      }
      form.reset();
    });
    xhr.addEventListener("error", function () {
      busy(false);
      say("O envio falhou: verifique a conexão e o tamanho do arquivo e tente novamente.");
    });
    busy(true);
    if (bar) { bar.value = 0; }
    say("Enviando o arquivo…");
    xhr.send(data);
  });
})();
