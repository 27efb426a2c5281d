// Progressive enhancement for the dashboard; every page works without it. The rubric editor: "Move up" / "Move
// down" buttons that reorder the criteria and renumber their "Order" fields (without script, the fields do it).
(function () {
  "use strict";
  var list = document.querySelector("[data-criteria]");
  if (!list) { return; }

  function renumber() {
    var rows = list.querySelectorAll("[data-criterion]");
    rows.forEach(function (row, index) {
      var order = row.querySelector("input[name$='-position']");
      if (order) { order.value = String(index + 1); }
      row.querySelectorAll("[data-move]").forEach(function (button) {
        var up = button.getAttribute("data-move") === "up";
        button.disabled = up ? index === 0 : index === rows.length - 1;
      });
    });
  }

  function button(label, direction, title) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "button--secondary";
    b.setAttribute("data-move", direction);
    b.textContent = label;
    b.setAttribute("aria-label", label + ": " + title);
    return b;
  }

  list.querySelectorAll("[data-criterion]").forEach(function (row) {
    var tools = row.querySelector("[data-tools]");
    var legend = row.querySelector("[data-legend]");
    var title = legend ? legend.textContent : "criterion";
    var box = document.createElement("div");
    box.className = "criterion__move";
    box.appendChild(button("Move up", "up", title));
    box.appendChild(button("Move down", "down", title));
    tools.appendChild(box);
  });

  list.addEventListener("click", function (event) {
    var b = event.target.closest("[data-move]");
    if (!b) { return; }
    var row = b.closest("[data-criterion]");
    if (b.getAttribute("data-move") === "up" && row.previousElementSibling) {
      list.insertBefore(row, row.previousElementSibling);
    } else if (b.getAttribute("data-move") === "down" && row.nextElementSibling) {
      list.insertBefore(row.nextElementSibling, row);
    }
    renumber();
    b.focus();
  });
  renumber();
})();

// The participation table: a cell reached with Tab is brought clear of the names, the header row and the totals,
// which stay in view over the cells. The browser's own scrolling on focus leaves a cell that is partly in view
// where it is, under the totals; scrolling it into view "nearest" honours the table's scroll-padding.
(function () {
  "use strict";
  var table = document.querySelector(".matrix-wrap");
  if (!table) { return; }
  table.addEventListener("focusin", function (event) {
    var cell = event.target, row = cell.closest("tr");
    if (!row) { return; }
    var names = row.querySelector("th");
    cell.scrollIntoView({block: "nearest", inline: "nearest"});
    // Wider than the room beside the names (a phone's), a cell is shown from its start, where it reads from.
    if (!names.contains(cell) && cell.getBoundingClientRect().left < names.getBoundingClientRect().right - 1) {
      cell.scrollIntoView({block: "nearest", inline: "start"});
    }
  });
})();
