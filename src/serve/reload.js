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
  function warnings(report) {
    hide();
    var box = document.createElement("details");
    box.id = "mxspec-overlay";
    box.style.cssText = "position:fixed;right:1rem;bottom:1rem;max-width:min(60rem,calc(100vw - 2rem));max-height:50vh;" +
      "overflow:auto;z-index:99999;background:#fff8e1;color:#4a3800;border:1px solid #d4a72c;border-radius:8px;" +
      "padding:.4rem .8rem;font:13px/1.5 ui-monospace,Menlo,Consolas,monospace;opacity:.92";
    var title = document.createElement("summary");
    title.style.cursor = "pointer";
    title.textContent = "mxspec: " + report.summary.warnings + " warning" +
      (report.summary.warnings === 1 ? "" : "s");
    box.appendChild(title);
    report.diagnostics.forEach(function (d) {
      if (d.severity !== "warning") return;
      var line = document.createElement("div");
      line.style.marginTop = ".4rem";
      var where = d.file + (d.line ? ":" + d.line + ":" + d.column : "");
      line.textContent = where + "  warning[" + d.code + "]: " + d.message;
      box.appendChild(line);
    });
    document.body.appendChild(box);
  }
  function show(report) {
    hide();
    var box = document.createElement("div");
    box.id = "mxspec-overlay";
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:auto 1rem 1rem 1rem;max-height:60vh;overflow:auto;z-index:99999;" +
      "background:#2b1111;color:#ffe9e9;border:2px solid #e5534b;border-radius:8px;padding:1rem 1.2rem;" +
      "font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;box-shadow:0 8px 30px rgba(0,0,0,.4)";
    var title = document.createElement("strong");
    title.textContent = "mxspec: the last edit does not build (" + report.summary.errors +
      " error" + (report.summary.errors === 1 ? "" : "s") + "); showing the last good page";
    box.appendChild(title);
    report.diagnostics.forEach(function (d) {
      if (d.severity !== "error") return;
      var line = document.createElement("div");
      line.style.marginTop = ".5rem";
      var where = d.file + (d.line ? ":" + d.line + ":" + d.column : "");
      line.textContent = where + "  error[" + d.code + "]: " + d.message;
      box.appendChild(line);
    });
    document.body.appendChild(box);
  }
  var events = new EventSource("/__mxspec/events");
  events.addEventListener("reload", function () {
    sessionStorage.setItem(key, String(window.scrollY));
    location.reload();
  });
  events.addEventListener("problems", function (e) { show(JSON.parse(e.data)); });
  events.addEventListener("warnings", function (e) { warnings(JSON.parse(e.data)); });
  events.addEventListener("ok", hide);
})();
