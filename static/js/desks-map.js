// The desk map: an enhancement beside the list, which stays the accessible source of truth.
// Shown only when the portal has a tile server (PORTAL_MAP_TILES_URL); markers follow the list.
(function () {
  "use strict";
  var element = document.getElementById("desk-map");
  if (!element || typeof L === "undefined") {
    return;
  }
  var items = Array.prototype.slice.call(document.querySelectorAll(".desk-results .desk-result[data-lat]"));
  if (!items.length) {
    return;
  }
  var map = L.map(element, { scrollWheelZoom: false });
  L.tileLayer(element.getAttribute("data-tiles-url"), {
    attribution: element.getAttribute("data-attribution") || "",
    maxZoom: 18
  }).addTo(map);
  var markers = {};
  var bounds = [];
  items.forEach(function (item) {
    var point = [parseFloat(item.getAttribute("data-lat")), parseFloat(item.getAttribute("data-lon"))];
    var link = item.querySelector("a");
    var marker = L.marker(point, { title: link ? link.textContent : "", keyboard: false }).addTo(map);
    marker.bindPopup(link ? link.outerHTML : "");
    marker.on("click", function () {
      items.forEach(function (other) { other.classList.remove("desk-result--selected"); });
      item.classList.add("desk-result--selected");
    });
    markers[item.getAttribute("data-desk-id")] = marker;
    bounds.push(point);
    // Following the list: focusing a desk in the list opens its marker.
    item.addEventListener("focusin", function () { marker.openPopup(); });
  });
  map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15 });
})();
