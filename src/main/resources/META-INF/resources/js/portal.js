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
    copy(button, source, "value" in source ? source.value : source.textContent);
  });

  // A click's Copy button: the record's text as the row shows it (whole after "Show all").
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-click]");
    if (!button) {
      return;
    }
    var source = button.closest("details").querySelector(".record-data pre");
    if (source) {
      copy(button, source, source.textContent);
    }
  });

  // Puts the text on the clipboard; without clipboard access, selects it and asks the browser to copy it.
  function copy(button, source, text) {
    var done = function () {
      var label = button.textContent;
      button.textContent = "Copied";
      button.classList.add("copied");
      setTimeout(function () {
        button.textContent = label;
        button.classList.remove("copied");
      }, 1500);
    };
    var fallback = function () {
      select(source);
      try {
        if (document.execCommand("copy")) {
          done();
        }
      } catch (e) {
        // The text stays selected for Ctrl+C.
      }
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, fallback);
    } else {
      fallback();
    }
  }

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

  // Pause buttons: data-pause names the list that stops (and starts again) following; on resume
  // it hears "portal:resume", to show what came meanwhile.
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
      list.dispatchEvent(new CustomEvent("portal:resume"));
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

  // The Records table, live: data-stream answers Server-Sent Events, each "click" event a row (a
  // <tbody> rendered and escaped by the portal) inserted at the top unless a row of that shard and
  // sequence number is there already. Rows already there are never replaced, so a selection, the
  // focus and opened rows stay. While paused, new rows wait and are counted. At most data-keep rows
  // are kept: the oldest go, unless opened or focused.
  function followClicks(table) {
    var status = document.getElementById("clicks-live");
    var pendingNote = document.getElementById("clicks-pending");
    var keep = parseInt(table.getAttribute("data-keep"), 10) || 200;
    var pending = [];
    var source = new EventSource(table.getAttribute("data-stream"));

    function say(text) {
      if (status) {
        status.textContent = text;
      }
    }

    function showPending() {
      pendingNote.hidden = pending.length === 0;
      pendingNote.textContent = pending.length === 1 ? "1 new click, shown on resume."
        : pending.length + " new clicks, shown on resume.";
    }

    function insert(body) {
      var first = table.querySelector("tbody.click");
      table.insertBefore(body, first);
      if (window.htmx) {
        window.htmx.process(body);
      }
      applyFilter(table, body);
      var empty = document.getElementById("clicks-empty");
      if (empty) {
        empty.remove();
      }
      var rows = table.querySelectorAll("tbody.click");
      for (var i = rows.length - 1; i >= keep; i--) {
        if (!rows[i].querySelector("details[open]") && !rows[i].contains(document.activeElement)) {
          rows[i].remove();
        }
      }
    }

    source.addEventListener("ready", function () {
      say("Live");
    });
    source.addEventListener("click", function (event) {
      say("Live");
      var parsed = document.createElement("template");
      parsed.innerHTML = event.data;
      var body = parsed.content.querySelector("tbody.click");
      if (!body || document.getElementById(body.id) || pending.some(function (b) { return b.id === body.id; })) {
        return;
      }
      body = document.importNode(body, true);
      if (table.hasAttribute("data-paused")) {
        pending.push(body);
        showPending();
      } else {
        insert(body);
      }
    });
    source.addEventListener("end", function (event) {
      source.close();
      say("Stopped: " + event.data);
    });
    source.addEventListener("error", function () {
      say(source.readyState === EventSource.CLOSED ? "Stopped: reload the page to follow new clicks"
        : "Reconnecting…");
    });
    table.addEventListener("portal:resume", function () {
      pending.forEach(insert);
      pending = [];
      showPending();
    });
  }

  // The filter narrows the rows shown as it is typed, by the portal's rule: words anywhere in a
  // click, or field=value on JSON clicks (a dotted path into objects; numbers compared by value).
  var FILTER_FIELD = /^[A-Za-z_$@][A-Za-z0-9_$@-]*(\.[A-Za-z0-9_$@-]+)*$/;

  function parseFilter(raw) {
    var filter = raw.trim();
    if (!filter) {
      return null;
    }
    var eq = filter.indexOf("=");
    if (eq < 0) {
      return { text: filter.toLowerCase() };
    }
    var field = filter.slice(0, eq).trim();
    if (field.length > 64 || !FILTER_FIELD.test(field)) {
      return { error: "filter field=value needs a field name before the = (letters, digits, _, - and . between "
        + "the names of a path, at most 64 characters), such as type=click" };
    }
    return { path: field.split("."), value: filter.slice(eq + 1).trim() };
  }

  function passes(filter, body) {
    if (!filter) {
      return true;
    }
    var pre = body.querySelector(".record-data pre");
    if (filter.text) {
      var key = body.querySelector(".partition-key");
      var text = (pre ? pre.textContent : "") + "\n" + (key ? key.textContent : "");
      return text.toLowerCase().indexOf(filter.text) >= 0;
    }
    var node;
    try {
      node = JSON.parse(pre ? pre.textContent : "");
    } catch (e) {
      // Cut too long to parse: its one-line summary tells.
      var summary = body.querySelector(".click-summary");
      return !!summary && summary.textContent.indexOf(filter.path.join(".") + "=" + filter.value) >= 0;
    }
    for (var i = 0; i < filter.path.length; i++) {
      if (node === null || typeof node !== "object" || Array.isArray(node)
          || !Object.prototype.hasOwnProperty.call(node, filter.path[i])) {
        return false;
      }
      node = node[filter.path[i]];
    }
    if (typeof node === "number") {
      return filter.value !== "" && node === Number(filter.value);
    }
    return (node !== null && typeof node === "object" ? JSON.stringify(node) : String(node)) === filter.value;
  }

  function currentFilter(table) {
    var input = document.querySelector("[data-clicks-filter='#" + table.id + "']");
    var filter = input ? parseFilter(input.value) : null;
    return filter && filter.error ? null : filter;
  }

  function applyFilter(table, body) {
    body.hidden = !passes(currentFilter(table), body);
  }

  document.addEventListener("input", function (event) {
    var input = event.target.closest("[data-clicks-filter]");
    if (!input) {
      return;
    }
    var table = document.querySelector(input.getAttribute("data-clicks-filter"));
    var error = document.getElementById("clicks-filter-error");
    var filter = parseFilter(input.value);
    error.hidden = !(filter && filter.error);
    error.textContent = filter && filter.error ? filter.error : "";
    input.setAttribute("aria-invalid", String(!!(filter && filter.error)));
    if (!table || (filter && filter.error)) {
      return;
    }
    table.querySelectorAll("tbody.click").forEach(function (body) {
      body.hidden = !passes(filter, body);
    });
  });

  // A form sent back with errors: the summary gets the focus, so it is read out first.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-prepend-from]").forEach(followPrepends);
    document.querySelectorAll("table[data-stream]").forEach(followClicks);
    var summary = document.getElementById("error-summary");
    if (summary) {
      summary.focus();
    }
  });
})();
