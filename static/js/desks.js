// "Use my position" for the desk search: an enhancement; without JavaScript the commune or postcode works.
(function () {
  "use strict";
  var form = document.getElementById("desk-search");
  var row = document.getElementById("near-me-row");
  var button = document.getElementById("near-me");
  var status = document.getElementById("near-me-status");
  if (!form || !row || !button || !("geolocation" in navigator)) {
    return;
  }
  row.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = button.getAttribute("data-searching") || "";
    navigator.geolocation.getCurrentPosition(
      function (position) {
        // About 100 m: enough to sort desks, not enough to pinpoint a home in logs or history.
        form.querySelector("#lat").value = position.coords.latitude.toFixed(3);
        form.querySelector("#lon").value = position.coords.longitude.toFixed(3);
        form.querySelector("#q").value = "";
        form.submit();
      },
      function () {
        status.textContent = button.getAttribute("data-refused") || "";
      },
      { enableHighAccuracy: false, timeout: 10000, maximumAge: 300000 }
    );
  });
})();
