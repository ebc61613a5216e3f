/* Luoshi pages: the task tree's expand/collapse, questions before irreversible steps, the reason a lower
   progress report asks for, and the filter box of long pickers. No framework; htmx does the fetching.
   The small behaviours the templates ask for go by data- attributes, since the Content-Security-Policy
   runs no inline handler: data-print, data-submit-on-change, data-confirm, data-busy. */
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

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
  });

  document.addEventListener("change", function (event) {
    var select = event.target.closest("[data-submit-on-change]");
    if (select && select.form) select.form.submit();
  });

  /* A form with data-confirm asks before it is sent (htmx forms use hx-confirm instead);
     one with data-busy shows its progress bar and disables its button while the server works. */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      return;
    }
    if (form.dataset && form.dataset.busy) {  /* a long extraction or import: show it is working and stop a second click */
      var busy = document.getElementById(form.dataset.busy);
      if (busy) busy.hidden = false;
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        if (button === event.submitter && button.name) {  /* a disabled button is not posted: keep its value */
          var keep = document.createElement("input");
          keep.type = "hidden"; keep.name = button.name; keep.value = button.value;
          form.appendChild(keep);
        }
        button.disabled = true;
      });
    }
  }, true);

  /* The reason for a lower percent than the last report's: shown, and required, only when it is lower. */
  function lowering(form) {
    var box = form.querySelector("[data-lowering-below]");
    var percent = form.querySelector("input[name$=percent]");
    if (!box || !percent) return;
    var lower = percent.value !== "" && Number(percent.value) < Number(box.dataset.loweringBelow);
    var reason = box.querySelector("textarea");
    box.hidden = !lower && !reason.value;
    reason.required = lower;
  }
  document.addEventListener("input", function (event) {
    if (event.target.form && /percent$/.test(event.target.name)) lowering(event.target.form);
  });

  /* A picker marked data-filter gets a search box above it: typing keeps the options (and groups)
     whose text matches; with one match left, a single picker selects it. */
  function addFilter(select) {
    if (select.dataset.filterReady) return;
    select.dataset.filterReady = "1";
    var box = select.previousElementSibling;
    if (box && box.classList.contains("choice-filter")) return;  // a picker htmx swapped in keeps its box
    box = document.createElement("input");
    box.type = "search";
    box.className = "choice-filter";
    box.placeholder = select.dataset.filter;
    box.setAttribute("aria-label", select.dataset.filter);
    if (select.id) box.setAttribute("aria-controls", select.id);
    select.parentNode.insertBefore(box, select);
    box.addEventListener("input", function () {
      var select = box.nextElementSibling;
      var words = box.value.trim().toLowerCase();
      var shown = [];
      select.querySelectorAll("option").forEach(function (option) {
        var group = option.parentNode.tagName === "OPTGROUP" ? option.parentNode.label : "";
        var match = !words || option.value === "" || (option.text + " " + group).toLowerCase().indexOf(words) >= 0;
        option.hidden = !match;
        if (match && option.value !== "") shown.push(option);
      });
      select.querySelectorAll("optgroup").forEach(function (group) {
        group.hidden = !group.querySelector("option:not([hidden])");
      });
      if (!select.multiple && words && shown.length === 1 && !shown[0].selected) {
        shown[0].selected = true;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  }

  function enhance(root) {
    root.querySelectorAll("select[data-filter]").forEach(addFilter);
    root.querySelectorAll("form").forEach(lowering);
    if (root.tagName === "FORM") lowering(root);
  }
  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:load", function (event) { enhance(event.detail.elt); });
})();
