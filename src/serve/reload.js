// mxspec serve: live reload and the problems overlay (only while serving).
(function () {
  var key = "mxspec-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    window.scrollTo(0, parseInt(saved, 10) || 0);
  }
  function hide() {
    var old = document.getElementById("mxspec-overlay");
    if (old) old.remove();
  }
  // One box for both: the problems of a failed build (loud, open), or the warnings of a
  // good one (quiet, folded in a corner).
  function overlay(report, severity, loud) {
    hide();
    var box = document.createElement(loud ? "div" : "details");
    box.id = "mxspec-overlay";
    if (loud) box.setAttribute("role", "alert");
    box.style.cssText = loud
      ? "position:fixed;inset:auto 1rem 1rem 1rem;max-height:60vh;overflow:auto;z-index:99999;" +
        "background:#2b1111;color:#ffe9e9;border:2px solid #e5534b;border-radius:8px;padding:1rem 1.2rem;" +
        "font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;box-shadow:0 8px 30px rgba(0,0,0,.4)"
      : "position:fixed;right:1rem;bottom:1rem;max-width:min(60rem,calc(100vw - 2rem));max-height:50vh;" +
        "overflow:auto;z-index:99999;background:#fff8e1;color:#4a3800;border:1px solid #d4a72c;border-radius:8px;" +
        "padding:.4rem .8rem;font:13px/1.5 ui-monospace,Menlo,Consolas,monospace;opacity:.92";
    var n = loud ? report.summary.errors : report.summary.warnings;
    var title = document.createElement(loud ? "strong" : "summary");
    title.textContent = loud
      ? "mxspec: the last edit does not build (" + n + " error" + (n === 1 ? "" : "s") +
        "); showing the last good page"
      : "mxspec: " + n + " warning" + (n === 1 ? "" : "s");
    if (!loud) title.style.cursor = "pointer";
    box.appendChild(title);
    report.diagnostics.forEach(function (d) {
      if (d.severity !== severity) return;
      var line = document.createElement("div");
      line.style.marginTop = loud ? ".5rem" : ".4rem";
      var where = d.file + (d.line ? ":" + d.line + ":" + d.column : "");
      line.textContent = where + "  " + severity + "[" + d.code + "]: " + d.message;
      box.appendChild(line);
    });
    document.body.appendChild(box);
  }
  var events = new EventSource("/__mxspec/events");
  events.addEventListener("reload", function () {
    sessionStorage.setItem(key, String(window.scrollY));
    location.reload();
  });
  events.addEventListener("problems", function (e) { overlay(JSON.parse(e.data), "error", true); });
  events.addEventListener("warnings", function (e) { overlay(JSON.parse(e.data), "warning", false); });
  events.addEventListener("ok", hide);
})();
