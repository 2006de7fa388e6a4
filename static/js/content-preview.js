// Live preview of a page draft: the server renders the text through the same sanitiser as the public page
// (no Markdown is rendered here). Without JavaScript the "Preview" button does the same in a round trip.
(function () {
  "use strict";
  var form = document.getElementById("draft-form");
  var target = document.getElementById("preview");
  var body = document.getElementById("body");
  if (!form || !target || !body || !window.fetch) {
    return;
  }
  var timer = null;
  var sent = 0;
  function refresh() {
    var data = new FormData();
    data.append("body", body.value);
    data.append("locale", form.getAttribute("data-locale"));
    data.append("csrf_token", form.querySelector("input[name=csrf_token]").value);
    var ticket = ++sent;
    fetch(form.getAttribute("data-preview-url"), { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (answer !== null && ticket === sent) {
          target.innerHTML = answer.html; // rendered and sanitised server-side, like the public page
        }
      })
      .catch(function () { /* the Preview button still works */ });
  }
  body.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 600);
  });
  refresh();
})();
