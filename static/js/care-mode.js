/* 关怀版 (care mode): larger text, higher contrast, 44-px targets. Remembered in this browser only
   (localStorage; nothing is sent). Runs in <head> so the page is drawn in the right mode at once. */
(function () {
  "use strict";
  var KEY = "portal-care-mode";
  var root = document.documentElement;
  function stored() { try { return window.localStorage.getItem(KEY) === "1"; } catch (e) { return false; } }
  function apply(on) {
    root.classList.toggle("care-mode", on);
    var button = document.getElementById("care-toggle");
    if (button) {
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.textContent = on ? button.dataset.on : button.dataset.off;
    }
  }
  apply(stored());
  document.addEventListener("DOMContentLoaded", function () {
    apply(stored());
    var button = document.getElementById("care-toggle");
    if (!button) { return; }
    button.addEventListener("click", function () {
      var on = !root.classList.contains("care-mode");
      try { window.localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* private mode: this page only */ }
      apply(on);
    });
  });
}());
