// Live preview of `build.py serve` (never part of the built site). Asks the preview server
// about seven times a second what it serves: a new build id reloads the page; problems of the
// content are drawn over the page, in a shadow root so the site's styles cannot reach them.
(function () {
  "use strict";
  var STATE_URL = "/__site_gen/state.json";
  var INTERVAL = 150;
  var script = document.currentScript;
  var pageBuild = script ? script.getAttribute("data-build") : null;
  var delay = INTERVAL;
  var timer = null;
  var host = null;
  var shown = "[]";

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function plural(count, one, many) {
    return count + " " + (count > 1 ? many : one);
  }

  function place(problem) {
    var where = problem.file;
    if (problem.line !== null) where += ", ligne " + problem.line;
    if (problem.column !== null) where += ", colonne " + problem.column;
    return where;
  }

  function draw(problems) {
    var key = JSON.stringify(problems);
    if (key === shown) return;
    shown = key;
    if (host) host.remove();
    host = null;
    if (!problems.length) return;
    var errors = problems.filter(function (p) { return p.severity === "error"; }).length;
    host = element("div");
    host.id = "site-gen-overlay";
    var root = host.attachShadow({ mode: "open" });
    var link = element("link");
    link.rel = "stylesheet";
    link.href = "/__site_gen/overlay.css";
    root.appendChild(link);
    var panel = element("details", errors ? "panel errors" : "panel warnings");
    panel.open = errors > 0;
    panel.setAttribute("role", errors ? "alert" : "status");
    panel.appendChild(element("summary", "", errors
      ? "Le site n'a pas pu être reconstruit : " + plural(errors, "problème", "problèmes") +
        ". La page montre la dernière version valide."
      : plural(problems.length, "remarque", "remarques") + " sur le contenu (le site est à jour)"));
    var list = element("ol");
    problems.forEach(function (problem) {
      var item = element("li", problem.severity);
      item.appendChild(element("p", "place", place(problem)));
      item.appendChild(element("p", "message", problem.message));
      if (problem.hint) item.appendChild(element("p", "hint", "Conseil : " + problem.hint));
      if (problem.others) {
        item.appendChild(element("p", "others", "Et la même remarque à " +
          plural(problem.others, "autre endroit", "autres endroits") +
          ", dont : " + problem.places.join(", ")));
      }
      list.appendChild(item);
    });
    panel.appendChild(list);
    root.appendChild(panel);
    (document.body || document.documentElement).appendChild(host);
  }

  function schedule() {
    clearTimeout(timer);
    timer = document.hidden ? null : setTimeout(poll, delay);
  }

  function poll() {
    fetch(STATE_URL, { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        if (pageBuild !== null && state.build !== pageBuild) {
          location.reload();
          return;
        }
        delay = INTERVAL;
        draw(state.problems);
        schedule();
      })
      .catch(function () {
        delay = Math.min(delay * 2, 5000); // the preview was stopped: ask less often
        schedule();
      });
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) poll();
  });
  poll();
})();
