// The search box: the first time it is used, it loads the engine (elasticlunr.min.js)
// and the site's index (search-index.js), both beside this script, as scripts (so that
// the site searches opened from disk too). `?search=words` in a page's address runs a
// search on load.
(function () {
  "use strict";
  var script = document.currentScript;
  var root = new URL(".", script.src);
  var input = document.getElementById("mxspec-search");
  var list = document.getElementById("mxspec-search-results");
  if (!input || !list) return;
  var index = null;
  var waiting = [];

  function load(done) {
    if (index) return done();
    waiting.push(done);
    if (waiting.length > 1) return;
    var files = ["elasticlunr.min.js", "search-index.js"];
    (function next() {
      if (!files.length) {
        index = elasticlunr.Index.load(window.mxspecSearch.index);
        waiting.splice(0).forEach(function (f) { f(); });
        return;
      }
      var s = document.createElement("script");
      s.src = new URL(files.shift(), root).href;
      s.onload = next;
      document.head.appendChild(s);
    })();
  }

  // A section's address from this page: the site's root, and `index.html` spelled out
  // when the site is opened from disk.
  // Always below the site's root: a page path never becomes an address of its own
  // (`javascript:...`); anything else is no result.
  function href(url) {
    var at = url.indexOf("#");
    var path = at < 0 ? url : url.slice(0, at);
    var hash = at < 0 ? "" : url.slice(at);
    if (location.protocol === "file:" && path.slice(-1) === "/") path += "index.html";
    var target = new URL("./" + path.replace(/^\/+/, ""), root);
    if (["http:", "https:", "file:"].indexOf(target.protocol) < 0) return null;
    return target.href + hash;
  }

  function show(query) {
    list.textContent = "";
    if (!query.trim()) { list.hidden = true; return; }
    // Curly quotes copied from a page are the straight ones the index holds.
    query = query.replace(/[\u2018\u2019]/g, "'").replace(/[\u201c\u201d]/g, '"');
    var hits = index.search(query, {
      fields: { title: { boost: 3 }, body: { boost: 1 } },
      bool: "AND",
      expand: true
    }).slice(0, 30);
    if (!hits.length) {
      var none = document.createElement("li");
      none.className = "search-none";
      none.textContent = "Nothing found for “" + query + "”";
      list.appendChild(none);
    }
    hits.forEach(function (hit) {
      var doc = window.mxspecSearch.docs[Number(hit.ref)];
      var link = href(doc[0]);
      if (!link) return;
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = link;
      a.textContent = doc[1];
      var page = document.createElement("span");
      page.className = "search-page";
      page.textContent = doc[2];
      a.appendChild(page);
      li.appendChild(a);
      list.appendChild(li);
    });
    list.hidden = false;
  }

  input.addEventListener("focus", function () { load(function () {}); });
  input.addEventListener("input", function () {
    var query = input.value;
    load(function () { if (input.value === query) show(query); });
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { input.value = ""; list.hidden = true; }
  });
  document.addEventListener("click", function (e) {
    if (!list.contains(e.target) && e.target !== input) list.hidden = true;
  });
  var asked = new URLSearchParams(location.search).get("search");
  if (asked) {
    input.value = asked;
    load(function () { show(asked); });
  }
})();
