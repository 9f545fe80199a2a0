// Quiz pages, progressively enhanced: everything works without this file.
// No inline code anywhere (the CSP forbids it); htmx itself does the swapping
// and moves focus to the element marked `autofocus` in a swapped card.
(function () {
  "use strict";

  // A countdown beside the deadline the server printed. The server enforces
  // the deadline; this only tells the student how long is left.
  function startCountdown(timer) {
    var deadline = Date.parse(timer.dataset.deadline);
    var out = timer.querySelector(".quiz-countdown");
    if (!out || isNaN(deadline)) return;
    function tick() {
      var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
      var text = (h ? h + ":" + String(m).padStart(2, "0") : m) + ":" + String(s).padStart(2, "0");
      out.textContent = " (" + text + " left)";
      timer.classList.toggle("is-urgent", left <= 120);
      if (left > 0) window.setTimeout(tick, 1000);
    }
    tick();
  }

  document.querySelectorAll(".quiz-timer[data-deadline]").forEach(startCountdown);
})();
