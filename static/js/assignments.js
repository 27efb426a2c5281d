// Progressive enhancement for the exceptions page: a "choose all" box above the list of students.
(function () {
  "use strict";
  document.querySelectorAll("table[data-select-all]").forEach(function (table) {
    var boxes = Array.prototype.slice.call(table.querySelectorAll("tbody input[type=checkbox]"));
    var cell = table.querySelector("thead .select-cell");
    if (!boxes.length || !cell) { return; }
    var label = document.createElement("label");
    var all = document.createElement("input");
    var text = document.createElement("span");
    label.className = "select-all";
    all.type = "checkbox";
    text.className = "visually-hidden select-all__text";
    text.textContent = table.getAttribute("data-select-all-label") || "Choose all students";
    label.appendChild(all);
    label.appendChild(text);
    cell.textContent = "";
    cell.appendChild(label);
    function sync() {
      var chosen = boxes.filter(function (box) { return box.checked; }).length;
      all.checked = chosen === boxes.length;
      all.indeterminate = chosen > 0 && chosen < boxes.length;
    }
    all.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = all.checked; });
    });
    boxes.forEach(function (box) { box.addEventListener("change", sync); });
    sync();
  });
})();
