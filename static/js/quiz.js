// Quiz pages, progressively enhanced: everything works without this file.
// No inline code anywhere (the CSP forbids it); htmx itself does the swapping
// and moves focus to the element marked `autofocus` in a swapped card.
(function () {
  "use strict";

  // Said once each through the timer's polite status region. The ticking
  // countdown itself is aria-hidden: read out every second it would drown the quiz.
  var WARNINGS = [[300, "5 minutes left."], [60, "1 minute left."]];

  function warningsPassed(left) {
    return WARNINGS.filter(function (warning) { return left <= warning[0]; }).length;
  }

  // A choice ticked, or an ordering the student has moved: an answer on the
  // page that the server has not been sent yet (an answered question's card
  // has no question form).
  function unsavedAnswer(card) {
    var form = card && card.querySelector("form.question-form");
    if (!form) return null;
    var chosen = form.querySelector("input[name=choice]:checked, .ordering-item.is-moved");
    return chosen ? form : null;
  }

  function csrfToken() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (field) return field.value;
    try {
      return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
    } catch (error) {
      return "";
    }
  }

  // Time is up: send the answer on screen, then finish the attempt, which lands
  // on the results page. The server still takes answers for a grace period
  // after the deadline (quizzes.taking.grace); past it, it refuses this one and
  // closes the attempt with the answers it has, so nothing is recorded twice.
  function submitAtDeadline(timer) {
    var form = unsavedAnswer(document.getElementById("question-card"));
    var sent = form
      ? window.fetch(form.action, {
          method: "POST",
          body: new FormData(form),
          credentials: "same-origin",
          // As htmx sends it: the server answers with the card, and leaves no
          // "answer saved" message waiting for the results page.
          headers: { "HX-Request": "true" },
        })
      : Promise.resolve();
    sent.catch(function () {}).then(function () {
      var finish = document.createElement("form");
      finish.method = "post";
      finish.action = timer.dataset.finish;
      var token = document.createElement("input");
      token.type = "hidden";
      token.name = "csrfmiddlewaretoken";
      token.value = csrfToken();
      finish.appendChild(token);
      document.body.appendChild(finish);
      finish.submit();
    });
  }

  // A countdown beside the deadline the server printed. The server enforces
  // the deadline; this tells the student how long is left and, at zero,
  // submits what they have answered.
  function startCountdown(timer) {
    var deadline = Date.parse(timer.dataset.deadline);
    var out = timer.querySelector(".quiz-countdown");
    var status = timer.querySelector(".quiz-timer-status");
    if (!out || isNaN(deadline)) return;
    var warned = null;
    function tick() {
      var ms = deadline - Date.now();
      // Rounded up, so zero means the deadline has passed, not that it is near.
      var left = Math.max(0, Math.ceil(ms / 1000));
      var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
      var text = (h ? h + ":" + String(m).padStart(2, "0") : m) + ":" + String(s).padStart(2, "0");
      out.textContent = " (" + text + " left)";
      timer.classList.toggle("is-urgent", left <= 120);
      // Warnings already past when the page loads are not said: the page says
      // when time ends.
      var passed = warningsPassed(left);
      if (warned !== null && passed > warned && status && left > 0) {
        status.textContent = WARNINGS[passed - 1][1];
      }
      warned = passed;
      if (left > 0) {
        // Wake just after the shown second changes, not a second after the last tick.
        window.setTimeout(tick, (ms % 1000 || 1000) + 20);
      } else if (timer.dataset.finish) {
        if (status) status.textContent = "Time is up: submitting your answers.";
        submitAtDeadline(timer);
      }
    }
    tick();
  }

  document.querySelectorAll(".quiz-timer[data-deadline]").forEach(startCountdown);

  // Back or Forward may bring this page back from the browser's memory (the back/forward
  // cache) as it was when the student left it, with a question answered since still
  // open on it. The server sends no-store, which keeps it out of most such caches; if
  // one restores it anyway, ask the server for the card as it is now.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && document.getElementById("question-card")) {
      window.location.reload();
    }
  });
})();
