/* Luoshi pages: the task tree's expand/collapse. No framework; htmx loads children on first open. */
(function () {
  "use strict";

  function expanded(row) {
    var toggle = row.querySelector("[data-toggle]");
    return !!toggle && toggle.getAttribute("aria-expanded") === "true";
  }

  /* Show each row below `row` whose parent is shown and expanded; rows come in depth-first order. */
  function refresh(row) {
    var open = new Set();
    if (expanded(row) && !row.hidden) open.add(row.dataset.id);
    document.querySelectorAll('tr[data-ancestors~="' + row.dataset.id + '"]').forEach(function (r) {
      var show = open.has(r.dataset.parent);
      r.hidden = !show;
      if (show && expanded(r)) open.add(r.dataset.id);
    });
  }

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("[data-toggle]");
    if (!toggle) return;
    var row = toggle.closest("tr");
    toggle.setAttribute("aria-expanded", expanded(row) ? "false" : "true");
    refresh(row);
  });

  /* After htmx fetched a row's children, hide them again if the row was collapsed meanwhile. */
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    var row = target && target.closest && target.closest("tr[data-id]");
    if (row) refresh(row);
  });
})();
