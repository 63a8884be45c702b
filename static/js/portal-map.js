/* The map of the results (Leaflet + markercluster, served from static/vendor). It shows exactly the
   list below it, which is what screen readers and keyboards use; the map itself is hidden from them.
   Tiles come from the MAP_TILE_URL setting; without one the points stand on a plain background. */
(function () {
  "use strict";
  var box = document.getElementById("near-map");
  if (!box || !window.L) { return; }
  var L = window.L;
  var origin = [parseFloat(box.dataset.lat), parseFloat(box.dataset.lon)];
  // maxZoom on the map itself: without a tile layer the cluster layer has no other to read.
  // The vector layer exactly as wide as the map (Leaflet pads it by default, past a phone screen's edge).
  var map = L.map(box, { keyboard: false, maxZoom: 18, minZoom: 3, attributionControl: !!box.dataset.tileUrl,
                         renderer: L.svg({ padding: 0 }) });
  // The map is hidden from assistive technology (the list is the accessible version), so nothing in it
  // may take keyboard focus either: markers, clusters and control links are taken out of the tab order.
  function quiet() {
    box.setAttribute("tabindex", "-1");
    box.querySelectorAll("a, [tabindex], button").forEach(function (element) {
      element.setAttribute("tabindex", "-1");
    });
  }
  map.on("layeradd zoomend moveend popupopen", quiet);
  if (box.dataset.tileUrl) {
    L.tileLayer(box.dataset.tileUrl, {
      subdomains: box.dataset.tileSubdomains || "abc",
      attribution: box.dataset.tileAttribution || "",
      maxZoom: 18
    }).addTo(map);
  }
  var markers = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40 });
  var bounds = [origin];
  document.querySelectorAll("#near-results .place-card[data-lat]").forEach(function (card) {
    var at = [parseFloat(card.dataset.lat), parseFloat(card.dataset.lon)];
    var link = document.createElement("a");
    link.href = card.dataset.url;
    link.textContent = card.dataset.name;
    markers.addLayer(L.marker(at, { title: card.dataset.name, keyboard: false }).bindPopup(link));
    bounds.push(at);
  });
  map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 });  // a view first: the cluster layer needs a zoom
  map.addLayer(markers);
  L.circleMarker(origin, { radius: 8, color: "#b00020", weight: 3, fillOpacity: 0.6 })
    .bindTooltip(box.dataset.origin).addTo(map);
  quiet();
}());
