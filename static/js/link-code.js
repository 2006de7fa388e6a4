// The code of an e-mailed link travels after "#": browsers never send it to the server, so it stays out
// of access logs. This fills the form's code field with it and takes it out of the address bar.
(function () {
  "use strict";
  var match = /(?:^#|&)code=([A-Za-z2-7-]{20,40})/.exec(window.location.hash);
  var field = document.getElementById("code");
  if (!match || !field) {
    return;
  }
  if (!field.value) {
    field.value = match[1];
  }
  if (window.history && window.history.replaceState) {
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
  }
})();
