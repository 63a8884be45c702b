/* Near me: "使用我的位置" asks the browser for the position and submits it to this site only;
   typing a community name suggests matching communities (no street step). The form works without it. */
(function () {
  "use strict";
  var form = document.getElementById("near-form");
  if (!form) { return; }
  var button = document.getElementById("use-location");
  var note = document.getElementById("location-note");
  if (button && "geolocation" in navigator) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var label = button.textContent;
      button.disabled = true;
      button.textContent = button.dataset.busy;
      navigator.geolocation.getCurrentPosition(function (position) {
        document.getElementById("near-lat").value = position.coords.latitude.toFixed(6);
        document.getElementById("near-lon").value = position.coords.longitude.toFixed(6);
        document.getElementById("near-place").value = "";
        var community = form.querySelector("input[name=community]");
        if (community) { community.remove(); }
        form.submit();
      }, function () {
        button.disabled = false;
        button.textContent = label;
        note.textContent = button.dataset.denied;
        note.setAttribute("role", "alert");
      }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 300000 });
    });
  }
  var place = document.getElementById("near-place");
  var list = document.getElementById("near-place-list");
  var timer = null;
  if (place && list && window.fetch) {
    place.addEventListener("input", function () {
      var community = form.querySelector("input[name=community]");
      if (community) { community.remove(); }
      window.clearTimeout(timer);
      var text = place.value.trim();
      if (!text) { return; }
      timer = window.setTimeout(function () {
        window.fetch(form.dataset.placesUrl + "?q=" + encodeURIComponent(text), { credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : { places: [] }; })
          .then(function (data) {
            list.textContent = "";
            data.places.forEach(function (row) {
              var option = document.createElement("option");
              option.value = row.name;
              option.label = row.street;
              list.appendChild(option);
            });
          })
          .catch(function () { /* suggestions are a convenience; the form still submits */ });
      }, 200);
    });
  }
}());
