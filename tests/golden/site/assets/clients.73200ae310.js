/* The clients overview's filter, with JavaScript: the box shows, and each letter typed
   hides the clients (and the groups left empty) whose names do not hold what it says. */
(function () {
  "use strict";
  var box = document.querySelector(".client-filter");
  if (!box) return;
  var input = box.querySelector("input");
  var status = box.querySelector(".client-filter-status");
  var groups = Array.prototype.slice.call(document.querySelectorAll(".client-group"));
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  box.hidden = false;
  input.addEventListener("input", function () {
    var wanted = fold(input.value.trim());
    var shown = 0;
    groups.forEach(function (group) {
      var left = 0;
      group.querySelectorAll("li").forEach(function (item) {
        var match = !wanted || fold(item.textContent).indexOf(wanted) !== -1;
        item.hidden = !match;
        if (match) left += 1;
      });
      group.hidden = left === 0;
      shown += left;
    });
    status.textContent = shown ? "" : status.getAttribute("data-none");
  });
})();
