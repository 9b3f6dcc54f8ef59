/* Digest search: a prebuilt index searched in the browser. No network, works from file://.
   Untrusted text is only ever inserted with textContent. */
(function () {
  "use strict";
  var QUOTES = { "\u201d": "\u201c", "\u2019": "\u2018", '"': "\u201c", "'": "\u2018",
    "\u300c": "\u201c", "\u300d": "\u201c", "\u300e": "\u2018", "\u300f": "\u2018" };
  var T2S = null;
  var loading = null, manifestLoading = null;
  var UI = {
    en: { placeholder: "Search", none: "No results for", results: "results", loading: "Loading index…", more: "All results" },
    zh: { placeholder: "搜索", none: "没有找到", results: "条结果", loading: "正在载入索引…", more: "全部结果" },
    "zh-Hant": { placeholder: "搜尋", none: "沒有找到", results: "條結果", loading: "正在載入索引…", more: "全部結果" }
  };

  function lang() {
    var l = document.documentElement.lang || "zh";
    return UI[l] ? l : (l.indexOf("zh") === 0 ? "zh" : "en");
  }
  function t(key) { return UI[lang()][key]; }

  function base() {
    var el = document.getElementById("__config");
    var b = ".";
    if (el) { try { b = JSON.parse(el.textContent).base || "."; } catch (e) { /* keep "." */ } }
    return b.replace(/\/$/, "");
  }

  /* The build's fold (digest/search.py), character by character: full-width → ASCII, ideographic
     space → space, one quote style, Traditional → Simplified, lower case when that keeps the length. */
  function foldChar(ch) {
    var o = ch.codePointAt(0);
    var c = ch;
    if (o >= 0xFF01 && o <= 0xFF5E) c = String.fromCharCode(o - 0xFEE0);
    else if (o === 0x3000) c = " ";
    c = QUOTES[c] || (T2S && T2S.get(c)) || c;
    return c >= "A" && c <= "Z" ? c.toLowerCase() : c;  /* as digest/search.py: ASCII only */
  }

  function fold(s) {
    var out = "";
    for (var ch of s) out += foldChar(ch);
    return out;
  }

  /* The index stores each text folded (that is what is searched); the display text is the folded
     one with the build's patches put back: [gap, original, gap, original, …] in UTF-16 units. */
  function unpatch(folded, patch) {
    if (!patch) return folded;
    var out = "", pos = 0;
    for (var i = 0; i + 1 < patch.length; i += 2) {
      var at = pos + patch[i];
      out += folded.slice(pos, at) + patch[i + 1];
      pos = at + patch[i + 1].length;
    }
    return out + folded.slice(pos);
  }
  function textOf(rec) {
    if (rec.text === undefined) rec.text = unpatch(rec.folded, rec.patch);
    return rec.text;
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = src;
      s.onload = resolve;
      s.onerror = function () { reject(new Error("cannot load " + src)); };
      document.head.appendChild(s);
    });
  }

  /* The manifest alone (page table, Traditional → Simplified table, vocabulary): enough to fold. */
  function loadManifest() {
    if (manifestLoading) return manifestLoading;
    window.__dgSearch = window.__dgSearch || { rows: [] };
    manifestLoading = loadScript(base() + "/assets/search/manifest.js").then(function () {
      var m = window.__dgSearch.manifest;
      T2S = new Map();
      var pairs = Array.from(m.t2s);
      for (var i = 0; i + 1 < pairs.length; i += 2) T2S.set(pairs[i], pairs[i + 1]);
      return window.__dgSearch;
    });
    return manifestLoading;
  }

  function load() {
    if (loading) return loading;
    window.__dgSearch = window.__dgSearch || { rows: [] };
    var root = base(), t0 = performance.now();
    /* The search page names the shards, so they load alongside the manifest rather than after it. */
    var list = document.getElementById("dg-search-results");
    var early = {};
    ((list && list.dataset.shards) || "").split(" ").filter(Boolean).forEach(function (s) {
      early[s] = loadScript(root + "/" + s);
    });
    loading = loadManifest().then(function (d) {
      return Promise.all(d.manifest.shards.map(function (s) { return early[s] || loadScript(root + "/" + s); }));
    }).then(function () {
      var d = window.__dgSearch;
      var rows = [].concat.apply([], d.rows);
      d.records = rows.map(function (r) {
        return { page: r[0], anchor: r[1], kind: r[2], lang: r[3], folded: r[4], patch: r[5] || null,
          pinyin: r[6] || "", text: undefined };
      });
      d.rows = [];
      d.vocab = new Set(d.manifest.vocab);
      d.maxWord = d.manifest.vocab.reduce(function (a, w) { return Math.max(a, w.length); }, 1);
      document.documentElement.dataset.searchIndexMs = String(Math.round(performance.now() - t0));
      performance.mark("dg-search-index-ready");
      return d;
    });
    return loading;
  }

  var ASCII = /^[a-z0-9][a-z0-9.+\-]*$/;
  var CJK = /[\u3400-\u9fff]/;

  function segment(term, d) {
    var out = [];
    var i = 0;
    while (i < term.length) {
      var found = term[i];
      for (var n = Math.min(d.maxWord, term.length - i); n >= 2; n--) {
        var w = term.substr(i, n);
        if (d.vocab.has(w)) { found = w; break; }
      }
      out.push(found);
      i += found.length;
    }
    return out;
  }

  function occurrences(rec, term) {
    var hits = [];
    if (ASCII.test(term)) {
      var hay = rec.folded;
      var re = new RegExp("(^|[^a-z0-9])" + term.replace(/[.+\-]/g, "\\$&"), "g");
      var m;
      if (rec.lang === "en") {
        while ((m = re.exec(hay)) !== null) { hits.push(m.index + m[1].length); if (hits.length > 50) break; }
      } else {
        var at = hay.indexOf(term);
        while (at !== -1 && hits.length <= 50) { hits.push(at); at = hay.indexOf(term, at + term.length); }
      }
      if (!hits.length && rec.pinyin) {
        rec.pinyin.split(" ").forEach(function (p) { if (p.indexOf(term) === 0 && !hits.length) hits.push(-1); });
      }
      return hits;
    }
    var pos = rec.folded.indexOf(term);
    while (pos !== -1 && hits.length <= 50) { hits.push(pos); pos = rec.folded.indexOf(term, pos + term.length); }
    return hits;
  }

  function run(d, terms) {
    var pages = new Map();
    d.records.forEach(function (rec) {
      var per = terms.map(function (term) { return occurrences(rec, term); });
      if (!per.some(function (h) { return h.length; })) return;
      var p = pages.get(rec.page);
      if (!p) { p = { page: rec.page, score: 0, seen: new Set(), hits: [] }; pages.set(rec.page, p); }
      var w = d.manifest.weights[rec.kind] || 1;
      per.forEach(function (h, k) {
        if (h.length) { p.seen.add(k); p.score += w * Math.min(h.length, 5); }
      });
      p.hits.push({ rec: rec, per: per, w: w });
    });
    var out = [];
    pages.forEach(function (p) { if (p.seen.size === terms.length) out.push(p); });
    out.sort(function (a, b) {
      if (b.score !== a.score) return b.score - a.score;
      var da = d.manifest.pages[a.page][2] || "", db = d.manifest.pages[b.page][2] || "";
      return da < db ? 1 : da > db ? -1 : a.page - b.page;
    });
    out.forEach(function (p) {
      p.hits.sort(function (a, b) {
        var na = a.per.filter(function (h) { return h.length; }).length;
        var nb = b.per.filter(function (h) { return h.length; }).length;
        return nb - na || b.w - a.w;
      });
    });
    return out;
  }

  function search(d, query) {
    var q = fold(query).trim();
    if (!q) return { terms: [], results: [] };
    var terms = q.split(/\s+/);
    var results = run(d, terms);
    if (!results.length) {
      var split = [];
      terms.forEach(function (term) {
        if (CJK.test(term) && term.length > 2) split.push.apply(split, segment(term, d)); else split.push(term);
      });
      if (split.length !== terms.length) { terms = split; results = run(d, terms); }
    }
    return { terms: terms, results: results };
  }

  function snippet(text, folded, terms, width) {
    var first = -1;
    terms.forEach(function (term) {
      var at = folded.indexOf(term);
      if (at !== -1 && (first === -1 || at < first)) first = at;
    });
    var start = Math.max(0, first - width), end = Math.min(text.length, (first === -1 ? 0 : first) + width * 2);
    if (first === -1) { start = 0; end = Math.min(text.length, width * 2); }
    var frag = document.createDocumentFragment();
    if (start > 0) frag.appendChild(document.createTextNode("…"));
    var part = text.slice(start, end), fpart = folded.slice(start, end);
    var marks = [];
    terms.forEach(function (term) {
      var at = fpart.indexOf(term);
      while (at !== -1) { marks.push([at, at + term.length]); at = fpart.indexOf(term, at + term.length); }
    });
    marks.sort(function (a, b) { return a[0] - b[0]; });
    var pos = 0;
    marks.forEach(function (m) {
      if (m[0] < pos) return;
      frag.appendChild(document.createTextNode(part.slice(pos, m[0])));
      var mk = document.createElement("mark");
      mk.textContent = part.slice(m[0], m[1]);
      frag.appendChild(mk);
      pos = m[1];
    });
    frag.appendChild(document.createTextNode(part.slice(pos)));
    if (end < text.length) frag.appendChild(document.createTextNode("…"));
    return frag;
  }

  function href(d, hit, query) {
    var page = d.manifest.pages[hit.rec.page];
    var url = base() + "/" + page[0] + "?h=" + encodeURIComponent(query);
    return url + (hit.rec.anchor ? "#" + hit.rec.anchor : "");
  }

  function renderResults(list, d, out, query, limit, snippetsPerPage) {
    list.textContent = "";
    out.results.slice(0, limit).forEach(function (p) {
      var page = d.manifest.pages[p.page];
      var li = document.createElement("li");
      li.className = "dg-result dg-result--" + page[3];
      var a = document.createElement("a");
      a.className = "dg-result-title";
      a.href = href(d, p.hits[0], query);
      a.textContent = (lang() === "en" && page[4]) ? page[4] : page[1];
      li.appendChild(a);
      if (page[2]) {
        var date = document.createElement("span");
        date.className = "dg-result-date";
        date.textContent = page[2];
        li.appendChild(date);
      }
      p.hits.slice(0, snippetsPerPage).forEach(function (hit) {
        if (hit.rec.kind === "title" && p.hits.length > 1) return;
        var s = document.createElement("a");
        s.className = "dg-result-snippet";
        s.href = href(d, hit, query);
        s.lang = hit.rec.lang === "en" ? "en" : "zh";
        s.appendChild(snippet(textOf(hit.rec), hit.rec.folded, out.terms, 30));
        li.appendChild(s);
      });
      list.appendChild(li);
    });
  }

  function status(el, text) { if (el) el.textContent = text; }

  function searchPage() {
    var list = document.getElementById("dg-search-results");
    if (!list) return;
    var input = document.getElementById("dg-search-page-input");
    var st = document.getElementById("dg-search-status");
    var q = new URLSearchParams(location.search).get("q") || "";
    input.value = q;
    var go = function () {
      var query = input.value;
      if (!query.trim()) { list.textContent = ""; status(st, ""); return; }
      status(st, t("loading"));
      load().then(function (d) {
        var t0 = performance.now();
        var out = search(d, query);
        renderResults(list, d, out, query, 200, 3);
        status(st, out.results.length ? out.results.length + " " + t("results") : t("none") + " “" + query + "”");
        document.documentElement.dataset.searchMs = String(Math.round(performance.now() - t0));
        performance.mark("dg-search-results");
      });
    };
    input.addEventListener("input", debounce(go, 120));
    if (q) go();
  }

  function debounce(fn, ms) {
    var timer = null;
    return function () { clearTimeout(timer); timer = setTimeout(fn, ms); };
  }

  function headerBox() {
    var inner = document.querySelector(".md-header__inner");
    if (!inner || document.getElementById("dg-search-page-input")) return;
    var form = document.createElement("form");
    form.className = "dg-header-search";
    form.setAttribute("role", "search");
    form.action = base() + "/search.html";
    var label = document.createElement("label");
    label.className = "dg-visually-hidden";
    label.htmlFor = "dg-header-q";
    label.textContent = t("placeholder");
    var input = document.createElement("input");
    input.type = "search"; input.name = "q"; input.id = "dg-header-q"; input.autocomplete = "off";
    input.placeholder = t("placeholder");
    input.className = "dg-search-input";
    var panel = document.createElement("div");
    panel.className = "dg-search-panel"; panel.hidden = true;
    var list = document.createElement("ol");
    list.className = "dg-search-results";
    var more = document.createElement("a");
    more.className = "dg-search-more";
    panel.appendChild(list); panel.appendChild(more);
    form.appendChild(label); form.appendChild(input); form.appendChild(panel);
    inner.appendChild(form);
    input.addEventListener("focus", function () { load(); });
    input.addEventListener("input", debounce(function () {
      var query = input.value;
      if (!query.trim()) { panel.hidden = true; return; }
      load().then(function (d) {
        var out = search(d, query);
        renderResults(list, d, out, query, 8, 1);
        more.href = base() + "/search.html?q=" + encodeURIComponent(query);
        more.textContent = out.results.length ? t("more") + " (" + out.results.length + ")" : t("none") + " “" + query + "”";
        panel.hidden = false;
        performance.mark("dg-search-dropdown");
      });
    }, 120));
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape") panel.hidden = true;
      if (e.key === "/" && document.activeElement === document.body) { e.preventDefault(); input.focus(); }
    });
  }

  function highlightLanding() {
    var h = new URLSearchParams(location.search).get("h");
    if (!h) return;
    var scope = (location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)))) ||
      document.querySelector("article");
    if (!scope) return;
    loadManifest().then(function () {
      var terms = fold(h).trim().split(/\s+/).filter(Boolean);
      var walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT);
      var nodes = [];
      while (walker.nextNode()) nodes.push(walker.currentNode);
      nodes.forEach(function (node) {
        var text = node.nodeValue, f = fold(text);
        var hit = -1, len = 0;
        terms.forEach(function (term) { var at = f.indexOf(term); if (at !== -1 && (hit === -1 || at < hit)) { hit = at; len = term.length; } });
        if (hit === -1 || !node.parentNode || node.parentNode.closest("mark,script,style")) return;
        var after = node.splitText(hit);
        after.splitText(len);
        var mk = document.createElement("mark");
        mk.className = "dg-hit";
        after.parentNode.replaceChild(mk, after);
        mk.appendChild(after);
      });
    });
  }

  window.DigestSearch = { fold: fold, load: load, loadManifest: loadManifest, search: search, unpatch: unpatch };
  /* On the search page with a query, start loading the index at once (this script ends the body). */
  if (document.getElementById("dg-search-results") && new URLSearchParams(location.search).get("q")) load();
  function init() { headerBox(); searchPage(); highlightLanding(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
