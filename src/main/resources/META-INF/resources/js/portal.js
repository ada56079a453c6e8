// Small enhancements of the server-rendered pages; every page works without them.
(function () {
  "use strict";

  // Copy buttons: data-copy names the element whose text (or value) is copied.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) {
      return;
    }
    var source = document.querySelector(button.getAttribute("data-copy"));
    if (!source) {
      return;
    }
    var text = "value" in source ? source.value : source.textContent;
    var done = function () {
      var label = button.textContent;
      button.textContent = "Copied";
      button.classList.add("copied");
      setTimeout(function () {
        button.textContent = label;
        button.classList.remove("copied");
      }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { select(source); });
    } else {
      select(source);
    }
  });

  // Without clipboard access, the text is selected for Ctrl+C.
  function select(element) {
    if (element.select) {
      element.select();
      return;
    }
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  // Filters apply as soon as they change.
  document.addEventListener("change", function (event) {
    var form = event.target.closest("form[data-autosubmit]");
    if (form) {
      form.requestSubmit();
    }
  });

  // A poll that reached no server (the portal restarting, the network gone) would change nothing:
  // the part being followed says so until the next answer replaces it, and polling goes on.
  document.addEventListener("htmx:sendError", function (event) {
    var polled = event.detail.elt;
    if (!polled || (polled.getAttribute("hx-trigger") || "").indexOf("every") !== 0) {
      return;
    }
    var notice = polled.querySelector(".poll-failed");
    if (!notice) {
      notice = document.createElement("p");
      notice.className = "notice error poll-failed";
      notice.setAttribute("role", "alert");
      polled.insertBefore(notice, polled.firstChild);
    }
    notice.textContent = "The portal did not answer at " + new Date().toLocaleTimeString() + "; trying again.";
  });

  // A form sent back with errors: the summary gets the focus, so it is read out first.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.getElementById("error-summary");
    if (summary) {
      summary.focus();
    }
  });
})();
