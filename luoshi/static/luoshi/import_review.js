// As the page pre-selects on the server: a target joins a same-name indicator only in the plan the import
// goes to, and only where nothing conflicts; a choice the reviewer made by hand is left alone.
(function () {
  var taskPlans = JSON.parse(document.getElementById("task-plans").textContent);
  var form = document.querySelector("form[data-busy=importing]");
  function chosenPlan() {
    var placement = form.querySelector("input[name=placement]:checked");
    if (!placement) return "";
    if (placement.value === "plan_top") return form.querySelector("select[name=plan]").value;
    if (placement.value === "under_task") return String(taskPlans[form.querySelector("select[name=parent]").value] || "");
    return "";
  }
  function sync() {
    var plan = chosenPlan();
    form.querySelectorAll("select[data-join]:not([data-touched])").forEach(function (select) {
      var fit = Array.prototype.find.call(select.options, function (o) { return o.hasAttribute("data-fits") && o.dataset.plan === plan; });
      select.value = fit ? fit.value : "";
    });
  }
  form.querySelectorAll("select[data-join]").forEach(function (s) { s.addEventListener("change", function () { s.dataset.touched = "1"; }); });
  form.querySelectorAll("input[name=placement], select[name=plan], select[name=parent]").forEach(function (el) { el.addEventListener("change", sync); });
})();
