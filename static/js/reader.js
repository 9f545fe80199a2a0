// The reader's small enhancements; every page works without them.
// - "Copy link" buttons (hidden until this script runs) copy a passage's permalink.
// - The glossary popover (filled by htmx) takes focus, closes with its button or Escape,
//   and gives focus back to the term that opened it.
(function () {
  "use strict";

  var status = document.getElementById("copy-status");
  var popover = document.getElementById("term-popover");
  var opener = null;

  function announce(message) {
    if (!status) return;
    status.textContent = "";
    window.setTimeout(function () { status.textContent = message; }, 50);
  }

  document.querySelectorAll("button.copy-link[hidden]").forEach(function (button) {
    if (navigator.clipboard) button.hidden = false;
  });

  document.addEventListener("click", function (event) {
    var copy = event.target.closest("button.copy-link");
    if (copy) {
      var url = new URL(window.location.href);
      url.hash = copy.dataset.copyAnchor;
      navigator.clipboard.writeText(url.toString()).then(function () {
        copy.classList.add("copied");
        announce("Link copied to the clipboard.");
        window.setTimeout(function () { copy.classList.remove("copied"); }, 1500);
      }, function () {
        announce("Could not copy; use the ¶ link instead.");
      });
      return;
    }
    var term = event.target.closest("a.term");
    if (term) opener = term;
    if (event.target.closest("[data-close-popover]")) closePopover();
  });

  function closePopover() {
    if (!popover || !popover.firstElementChild) return;
    popover.replaceChildren();
    if (opener) opener.focus();
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") closePopover();
  });

  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (popover && event.detail.target === popover) {
      var card = popover.querySelector(".term-card");
      if (card) card.focus();
    }
  });
})();
