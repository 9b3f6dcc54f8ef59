/* Digest: filter the facts table (facts/index.html) by subject, metric, year, kind and status.
   Local, no dependencies, no network: works from file://. Preselect with ?metric=<slug>&year=2024 … */
(function () {
  "use strict";

  function setup() {
    var forms = document.querySelectorAll("form.dg-facts-filter");
    Array.prototype.forEach.call(forms, function (form) {
      if (form.getAttribute("data-ready")) { return; }
      form.setAttribute("data-ready", "1");
      var table = document.getElementById(form.getAttribute("data-table"));
      if (!table || !table.tBodies.length) { return; }
      var rows = table.tBodies[0].rows;
      var selects = form.querySelectorAll("select[data-filter]");
      var count = form.querySelector(".dg-facts-count");

      function apply() {
        var wanted = {};
        Array.prototype.forEach.call(selects, function (s) { if (s.value) { wanted[s.name] = s.value; } });
        var shown = 0;
        Array.prototype.forEach.call(rows, function (row) {
          var ok = Object.keys(wanted).every(function (k) { return row.getAttribute("data-" + k) === wanted[k]; });
          row.hidden = !ok;
          if (ok) { shown += 1; }
        });
        if (count) { count.textContent = shown + " / " + rows.length; }
      }

      var params = new URLSearchParams(window.location.search);
      Array.prototype.forEach.call(selects, function (s) {
        var v = params.get(s.name);
        if (v !== null && Array.prototype.some.call(s.options, function (o) { return o.value === v; })) { s.value = v; }
      });
      form.addEventListener("change", apply);
      form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
      form.addEventListener("submit", function (e) { e.preventDefault(); });
      apply();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);  /* Material instant navigation, if enabled */
  }
}());
