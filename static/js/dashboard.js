// Progressive enhancement for the dashboard; every page works without it. The rubric editor: "Move up" / "Move
// down" buttons that reorder the criteria and renumber their "Order" fields (without script, the fields do it),
// their legends and the buttons' names, and say where the criterion moved to (a screen reader hears it).
(function () {
  "use strict";
  var list = document.querySelector("[data-criteria]");
  if (!list) { return; }
  var said = document.createElement("p");
  said.className = "visually-hidden";
  said.setAttribute("role", "status");
  list.parentNode.insertBefore(said, list.nextSibling);

  function name(row) {
    var title = row.querySelector("input[name$='-title']");
    var legend = row.querySelector("[data-legend]");
    return (title && title.value.trim()) || (legend ? legend.textContent : "criterion");
  }

  function renumber() {
    var rows = list.querySelectorAll("[data-criterion]");
    rows.forEach(function (row, index) {
      var order = row.querySelector("input[name$='-position']");
      if (order) { order.value = String(index + 1); }
      var legend = row.querySelector("[data-legend][data-numbered]");
      if (legend) { legend.textContent = "Criterion " + (index + 1); }
      row.querySelectorAll("[data-move]").forEach(function (button) {
        var up = button.getAttribute("data-move") === "up";
        button.disabled = up ? index === 0 : index === rows.length - 1;
        button.setAttribute("aria-label", button.textContent + ": " + name(row));
      });
    });
    return rows;
  }

  function button(label, direction) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "button--secondary";
    b.setAttribute("data-move", direction);
    b.textContent = label;
    return b;
  }

  list.querySelectorAll("[data-criterion]").forEach(function (row) {
    var box = document.createElement("div");
    box.className = "criterion__move";
    box.appendChild(button("Move up", "up"));
    box.appendChild(button("Move down", "down"));
    row.querySelector("[data-tools]").appendChild(box);
  });
  // A title typed names the criterion's buttons.
  list.addEventListener("change", function (event) {
    if (event.target.matches("input[name$='-title']")) { renumber(); }
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
    var rows = Array.prototype.slice.call(renumber());
    said.textContent = name(row) + " is now " + (rows.indexOf(row) + 1) + " of " + rows.length + ".";
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
