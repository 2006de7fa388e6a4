// The job page follows its job without reloading: it asks for its state every two seconds, moves the
// progress bar, and says the outcome in the page's polite live region. Without JavaScript, a refresh in
// <noscript> reloads the page instead.
(function () {
  "use strict";
  var root = document.getElementById("job");
  if (!root || !window.fetch) {
    return;
  }
  var state = root.getAttribute("data-state");
  if (state !== "queued" && state !== "running") {
    return;
  }
  var url = root.getAttribute("data-state-url");
  var texts = document.getElementById("job-texts").dataset;
  var bar = document.getElementById("job-progress");
  var count = document.getElementById("job-count");
  var step = document.getElementById("job-step");
  var label = document.getElementById("job-state");
  var outcome = document.getElementById("job-outcome");
  var wait = document.getElementById("job-wait");
  function show(data) {
    label.textContent = data.state_label;
    step.textContent = data.step ? " – " + data.step : "";
    if (data.percent !== null && data.percent !== undefined) {
      bar.value = data.percent;
      bar.textContent = data.percent + " %";
    }
    count.textContent = data.count;
    if (data.state === "done" || data.state === "failed") {
      var notice = document.createElement("p");
      notice.textContent = data.state === "done" ? texts.finished : (data.reason || texts.stopped);
      outcome.appendChild(notice);
      if (data.result_url) {
        var link = document.createElement("a");
        link.href = data.result_url;
        link.className = "button button--primary";
        link.textContent = texts.see;
        var holder = document.createElement("p");
        holder.id = "job-result";
        holder.appendChild(link);
        outcome.appendChild(holder);
      }
      if (wait) {
        wait.hidden = true;
      }
      return true;
    }
    return false;
  }

  function ask() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (!show(data)) {
          window.setTimeout(ask, 2000);
        }
      })
      .catch(function () { window.setTimeout(ask, 5000); });
  }
  window.setTimeout(ask, 1000);
})();
