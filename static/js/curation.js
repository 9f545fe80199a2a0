// Keyboard shortcuts for the review queue: j/k move, p publish, r retire, e edit, ? help.
// Loaded as a file (the CSP forbids inline scripts); the buttons work without it.
(function () {
  "use strict";
  var current = -1;
  var currentId = null;  // survives an htmx swap, which replaces the row element

  function rows() { return Array.prototype.slice.call(document.querySelectorAll(".queue-row")); }

  function typing(target) {
    if (!target) return false;
    var tag = target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
  }

  function select(index) {
    var all = rows();
    if (!all.length) return;
    index = Math.max(0, Math.min(index, all.length - 1));
    all.forEach(function (row) { row.classList.remove("is-current"); });
    var row = all[index];
    row.classList.add("is-current");
    currentId = row.id;
    row.focus({ preventScroll: true });
    row.scrollIntoView({ block: "nearest" });
    current = index;
  }

  function currentRow() {
    var all = rows();
    var marked = currentId && document.getElementById(currentId);
    if (marked) return marked;
    return all.length ? all[0] : null;
  }

  function press(shortcut) {
    var row = currentRow();
    if (!row) return;
    var control = row.querySelector('[data-shortcut="' + shortcut + '"]');
    if (control) control.click();
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    if (!document.querySelector(".queue")) return;
    var key = event.key;
    if (key === "j") { select(current + 1); }
    else if (key === "k") { select(current - 1); }
    else if (key === "p" || key === "r" || key === "e") { press(key); }
    else if (key === "?") {
      var help = document.getElementById("shortcut-help");
      if (help) help.open = !help.open;
    } else { return; }
    event.preventDefault();
  });

  // A click in a row (on Edit, say) makes it the current one.
  document.addEventListener("click", function (event) {
    var row = event.target.closest && event.target.closest(".queue-row");
    if (row) select(rows().indexOf(row));
  });

  // After htmx swaps a row, keep it current so the next key acts on the same question.
  document.body.addEventListener("htmx:afterSettle", function () {
    var row = currentId && document.getElementById(currentId);
    if (!row) return;
    var index = rows().indexOf(row);
    if (index < 0) return;
    select(index);
    var field = row.querySelector("textarea, input[type=text]");
    if (field) field.focus();
  });
})();
