/* On a phone, tables marked .stack-on-phone show each row as a card (static/css/resident.css); each cell
   is labelled with its column's heading, read from the table itself, so it works in every language. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  document.querySelectorAll("table.stack-on-phone").forEach(function (table) {
    var headings = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    table.querySelectorAll("tbody tr").forEach(function (row) {
      Array.prototype.forEach.call(row.children, function (cell, index) {
        if (!cell.hasAttribute("data-label") && headings[index]) { cell.setAttribute("data-label", headings[index]); }
      });
    });
  });
});
