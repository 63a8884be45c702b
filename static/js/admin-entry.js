/* The clerk's helpers on the admin's change forms (core/location.py, the hours fieldsets). The stored values
   stay the plain text boxes: these helpers only fill them, and without JavaScript the boxes still work.
   The script has no words of its own: they come translated in the page's language from the JSON script
   #admin-entry-labels (core.admin_mixins.entry_labels, rendered by templates/admin/change_form.html). */
(function () {
  "use strict";
  var DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
  var LABELS = null;  // read when the page is parsed: the JSON script may come after this one

  function readLabels() {
    var script = document.getElementById("admin-entry-labels");
    try { return script ? JSON.parse(script.textContent) : null; } catch (e) { return null; }
  }

  function button(label, onClick, extraClass) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "button entry-button" + (extraClass ? " " + extraClass : "");
    b.textContent = label;
    b.addEventListener("click", onClick);
    return b;
  }

  function setValue(input, value) {
    input.value = value;
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  // --- the week editor ------------------------------------------------------------------------------
  function hoursEditor() {
    var monday = document.getElementById("id_hours_mon");
    if (!monday || !LABELS) { return; }
    var inputs = DAYS.map(function (day) { return document.getElementById("id_hours_" + day); });
    var presets = [
      ["08:30-11:30,13:30-17:30", "08:30–11:30 + 13:30–17:30"],
      ["08:00-12:00,13:00-17:00", "08:00–12:00 + 13:00–17:00"],
      ["08:00-12:00,13:30-18:00", "08:00–12:00 + 13:30–18:00"],
      ["08:00-20:00", "08:00–20:00"],
      ["00:00-24:00", LABELS.allDay]
    ];
    var bar = document.createElement("div");
    bar.className = "hours-editor";
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", LABELS.hoursGroup);
    var label = document.createElement("label");
    label.textContent = LABELS.presets;
    label.htmlFor = "hours-preset";
    var select = document.createElement("select");
    select.id = "hours-preset";
    presets.forEach(function (p) {
      var o = document.createElement("option");
      o.value = p[0];
      o.textContent = p[1];
      select.appendChild(o);
    });
    bar.appendChild(label);
    bar.appendChild(select);
    bar.appendChild(button(LABELS.fillMonday, function () { setValue(monday, select.value); }, "hours-preset-monday"));
    bar.appendChild(button(LABELS.fillWeekdays, function () {
      inputs.slice(0, 5).forEach(function (i) { if (i) { setValue(i, select.value); } });
    }, "hours-preset-weekdays"));
    bar.appendChild(button(LABELS.copyMonday, function () {
      inputs.forEach(function (i) { if (i && i !== monday) { setValue(i, monday.value); } });
    }, "hours-copy-monday"));
    var row = monday.closest(".form-row") || monday.parentNode;
    row.parentNode.insertBefore(bar, row);
    inputs.forEach(function (input) {
      if (!input) { return; }
      var tools = document.createElement("span");
      tools.className = "hours-day-tools";
      // The closed word of the page's language: the hours parser reads it as closed in either language.
      tools.appendChild(button(LABELS.closed, function () { setValue(input, LABELS.closed); }, "hours-closed"));
      tools.appendChild(button(LABELS.allDay, function () { setValue(input, "00:00-24:00"); }, "hours-allday"));
      input.insertAdjacentElement("afterend", tools);
    });
  }

  // --- the location picker ----------------------------------------------------------------------------
  function locationPicker() {
    var box = document.getElementById("location-picker");
    var lat = document.getElementById("id_latitude");
    var lon = document.getElementById("id_longitude");
    if (!box || !lat || !lon || !window.L) { return; }
    var L = window.L;
    var map = L.map(box, { attributionControl: !!box.dataset.tileUrl });
    if (box.dataset.tileUrl) {
      L.tileLayer(box.dataset.tileUrl, {
        subdomains: box.dataset.tileSubdomains || "abc",
        attribution: box.dataset.tileAttribution || "",
        maxZoom: 18
      }).addTo(map);
    }
    var marker = null;
    function fromBoxes() {
      var a = parseFloat(lat.value), b = parseFloat(lon.value);
      return isFinite(a) && isFinite(b) ? [a, b] : null;
    }
    function place(at, fill) {
      if (marker) { marker.setLatLng(at); } else {
        marker = L.marker(at, { draggable: true, keyboard: false, title: LABELS ? LABELS.pin : "" }).addTo(map);
        marker.on("dragend", function () { place(marker.getLatLng(), true); });
      }
      if (fill) {
        var p = L.latLng(at);
        setValue(lat, p.lat.toFixed(6));
        setValue(lon, p.lng.toFixed(6));
      }
    }
    var start = fromBoxes();
    var centre = start || [parseFloat(box.dataset.lat || "45.295"), parseFloat(box.dataset.lon || "130.969")];
    map.setView(centre, start ? 16 : 12);
    if (start) { place(start, false); }
    map.on("click", function (event) { place(event.latlng, true); });
    [lat, lon].forEach(function (input) {
      input.addEventListener("input", function () {
        var at = fromBoxes();
        if (at) { place(at, false); map.panTo(at); }
      });
    });
  }

  function ready() { LABELS = readLabels(); hoursEditor(); locationPicker(); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else { ready(); }
}());
