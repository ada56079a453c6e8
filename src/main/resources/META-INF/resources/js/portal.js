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


  // Lists that grow at the top. data-prepend-from answers table rows, each with an id and its
  // data-time; every data-prepend-every ms the rows since a minute before the newest shown are
  // asked for (late log lines arrive out of order) and those not shown yet are inserted at the top.
  // Rows already there are never replaced, so a selection, the focus and scrolling stay.
  var PREPEND_LOOKBACK_MS = 60000;

  function followPrepends(list) {
    var every = parseInt(list.getAttribute("data-prepend-every"), 10) || 5000;
    var status = document.querySelector(list.getAttribute("data-prepend-status"));
    var busy = false;
    setInterval(function () {
      if (busy || list.hasAttribute("data-paused") || document.hidden) {
        return;
      }
      busy = true;
      var url = list.getAttribute("data-prepend-from");
      var newest = list.querySelector("tr[data-time]");
      if (newest) {
        var since = new Date(Date.parse(newest.getAttribute("data-time")) - PREPEND_LOOKBACK_MS);
        url += (url.indexOf("?") < 0 ? "?" : "&") + "since=" + encodeURIComponent(since.toISOString());
      }
      fetch(url, { headers: { "Accept": "text/html" }, credentials: "same-origin" })
        .then(function (response) {
          return response.text().then(function (text) {
            return { ok: response.ok, text: text };
          });
        })
        .then(function (answer) {
          var parsed = document.createElement("template");
          parsed.innerHTML = "<table><tbody>" + answer.text + "</tbody></table>";
          var problem = parsed.content.querySelector("tr[data-problem]");
          if (!answer.ok || problem) {
            showPollStatus(status, problem ? problem.textContent.trim()
              : "The portal answered " + answer.text.length + " bytes with an error; trying again.");
            return;
          }
          showPollStatus(status, null);
          var rows = Array.prototype.slice.call(parsed.content.querySelectorAll("tr[id]"));
          var added = 0;
          // Answers are newest first: inserted oldest first at the top, they keep that order.
          rows.reverse().forEach(function (row) {
            if (!document.getElementById(row.id)) {
              list.insertBefore(document.importNode(row, true), list.firstChild);
              added++;
            }
          });
          if (added > 0) {
            var empty = document.getElementById(list.id.replace(/-rows$/, "") + "-empty");
            if (empty) {
              empty.remove();
            }
          }
        })
        .catch(function () {
          showPollStatus(status, "The portal did not answer at " + new Date().toLocaleTimeString() + "; trying again.");
        })
        .then(function () {
          busy = false;
        });
    }, every);
  }

  function showPollStatus(status, text) {
    if (!status) {
      return;
    }
    status.hidden = text === null;
    status.textContent = text || "";
  }

  // Pause buttons: data-pause names the list that stops (and starts again) following.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-pause]");
    if (!button) {
      return;
    }
    var list = document.querySelector(button.getAttribute("data-pause"));
    if (!list) {
      return;
    }
    var paused = button.getAttribute("aria-pressed") !== "true";
    button.setAttribute("aria-pressed", String(paused));
    button.textContent = paused ? "Resume" : "Pause";
    if (paused) {
      list.setAttribute("data-paused", "");
    } else {
      list.removeAttribute("data-paused");
    }
  });

  // Times in UTC or the browser's zone: the toggle rewrites the chart's time labels (data-t) and
  // <time> elements; their UTC text stays in data-utc. Charts swapped in later follow the choice.
  var localTimes = false;

  function showZone(root) {
    root.querySelectorAll("[data-t]").forEach(function (label) {
      var t = new Date(label.getAttribute("data-t"));
      label.textContent = localTimes
        ? t.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", hour12: false })
        : label.getAttribute("data-utc");
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-zone-toggle]");
    if (!button) {
      return;
    }
    localTimes = !localTimes;
    button.setAttribute("aria-pressed", String(localTimes));
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "local time";
    button.textContent = localTimes ? "Times: " + zone : "Times: UTC";
    showZone(document);
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    if (localTimes) {
      showZone(event.detail.target.parentNode || document);
    }
  });

  // A form sent back with errors: the summary gets the focus, so it is read out first.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-prepend-from]").forEach(followPrepends);
    var summary = document.getElementById("error-summary");
    if (summary) {
      summary.focus();
    }
  });
})();
