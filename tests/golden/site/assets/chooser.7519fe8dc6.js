/* The home page's chooser, with JavaScript: straight to the page of the pair, the term
   or the full list. Without it, the form leads to the page of every pair (choisir/). */
(function () {
  "use strict";
  var form = document.querySelector(".chooser-form");
  if (!form) return;
  var pairs = JSON.parse(form.getAttribute("data-pairs") || "{}");
  form.addEventListener("submit", function (event) {
    var territory = form.elements.territoire;
    var context = form.elements.contexte;
    var t = territory.value, c = context.value, target;
    if (t && c) {
      target = pairs[t + "/" + c] || form.getAttribute("action") + "#" + t;
    } else if (t) {
      target = territory.options[territory.selectedIndex].getAttribute("data-url");
    } else if (c) {
      target = context.options[context.selectedIndex].getAttribute("data-url");
    } else {
      target = form.getAttribute("data-all");
    }
    event.preventDefault();
    window.location.assign(target);
  });
})();
