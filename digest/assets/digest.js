/* Digest page behaviour: reading mode (Chinese / English / parallel) remembered across pages,
   and a language switch that lands on the same page and paragraph. No network; no inline script. */
(function () {
  "use strict";
  var KEY = "dg-reading";
  var MODES = ["zh", "en", "parallel"];
  var LANGS = [["zh-Hans", "简体", ""], ["zh-Hant", "繁體", "zh-Hant/"], ["en", "English", "en/"]];
  var LABELS = {
    zh: { zh: "中文", en: "English", parallel: "对照", reading: "阅读方式" },
    "zh-Hant": { zh: "中文", en: "English", parallel: "對照", reading: "閱讀方式" },
    en: { zh: "Chinese", en: "English", parallel: "Parallel", reading: "Reading" }
  };
  var ui = document.documentElement.lang === "en" ? "en" : (document.documentElement.lang === "zh-Hant" ? "zh-Hant" : "zh");

  function stored() {
    try { return localStorage.getItem(KEY); } catch (e) { return null; }
  }
  function store(mode) {
    try { localStorage.setItem(KEY, mode); } catch (e) { /* private mode: keep for this page only */ }
  }
  function apply(mode) {
    document.documentElement.setAttribute("data-dg-reading", mode);
    document.querySelectorAll(".dg-reading button").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.dataset.mode === mode));
    });
  }

  function readingControl() {
    if (!document.querySelector(".dg-unit")) return;
    var mode = stored();
    if (MODES.indexOf(mode) === -1) mode = ui === "en" ? "en" : "parallel";
    var box = document.createElement("div");
    box.className = "dg-reading";
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", LABELS[ui].reading);
    MODES.forEach(function (m) {
      var b = document.createElement("button");
      b.type = "button";
      b.dataset.mode = m;
      b.textContent = LABELS[ui][m];
      b.addEventListener("click", function () { store(m); apply(m); });
      box.appendChild(b);
    });
    var h1 = document.querySelector("article h1");
    if (h1) h1.parentNode.insertBefore(box, h1); else document.querySelector("article").prepend(box);
    apply(mode);
  }

  /* Where this page sits relative to the site root of its language, and which language that is. */
  function location_() {
    var el = document.getElementById("__config");
    var base = ".";
    if (el) { try { base = JSON.parse(el.textContent).base || "."; } catch (e) { /* keep */ } }
    var here = new URL(location.href);
    var root = new URL(base.replace(/\/?$/, "/"), here);
    var rel = here.pathname.slice(root.pathname.length);
    var current = "zh-Hans";
    LANGS.forEach(function (l) {
      if (l[2] && root.pathname.slice(-l[2].length) === l[2]) current = l[0];
    });
    var top = root.pathname;
    LANGS.forEach(function (l) { if (l[0] === current && l[2]) top = top.slice(0, -l[2].length); });
    return { rel: rel, current: current, top: new URL(top, here) };
  }

  function currentAnchor() {
    var units = document.querySelectorAll(".dg-unit[id], h2[id], h3[id], h4[id]");
    var best = location.hash.slice(1);
    var target = best && document.getElementById(best);
    if (target) {  /* the paragraph the reader came to, unless they have since scrolled well away from it */
      var tr = target.getBoundingClientRect();
      if (tr.bottom > -window.innerHeight && tr.top < 2 * window.innerHeight) return best;
    }
    for (var i = 0; i < units.length; i++) {
      var r = units[i].getBoundingClientRect();
      if (r.bottom > 80) { best = units[i].id; break; }
    }
    return best;
  }

  function languageSwitch() {
    var inner = document.querySelector(".md-header__inner");
    if (!inner) return;
    var where = location_();
    var nav = document.createElement("nav");
    nav.className = "dg-lang";
    nav.setAttribute("aria-label", "Language 语言");
    LANGS.forEach(function (l) {
      var a = document.createElement("a");
      a.textContent = l[1];
      a.lang = l[0];
      a.href = new URL(l[2] + where.rel, where.top).href;
      if (l[0] === where.current) a.setAttribute("aria-current", "true");
      a.addEventListener("click", function () {
        var anchor = currentAnchor();
        a.href = new URL(l[2] + where.rel, where.top).href.replace(/#.*$/, "") + (anchor ? "#" + anchor : "");
      });
      nav.appendChild(a);
    });
    inner.appendChild(nav);
  }

  function copy(text) {
    var done = function () { return true; };
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).then(done, function () { return fallbackCopy(text); });
    }
    return Promise.resolve(fallbackCopy(text));
  }
  function fallbackCopy(text) {
    var ta = document.createElement("textarea");
    ta.value = text; ta.setAttribute("readonly", ""); ta.style.position = "fixed"; ta.style.opacity = "0";
    document.body.appendChild(ta); ta.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(ta);
    return ok;
  }
  function today() { return new Date().toISOString().slice(0, 10); }

  function permalink(anchor) {
    var box = document.querySelector(".dg-cite");
    var url = box ? box.dataset.permalink : "";
    if (!/^[a-z]+:/.test(url)) url = location.href.replace(/[?#].*$/, "");
    return url + (anchor ? "#" + anchor : "");
  }

  function citation(anchor) {
    var en = document.querySelector(".dg-cite-en .dg-cite-text");
    var base = en ? en.textContent : document.title;
    var url = permalink(anchor);
    base = base.replace(/\s*\S+$/, "");  /* the page URL at the end is replaced by the exact one */
    return base + (anchor ? " Paragraph " + anchor + "." : "") + " " + url + " (accessed " + today() + ").";
  }

  function citeBox() {
    var box = document.querySelector(".dg-cite");
    if (!box) return;
    var link = box.querySelector(".dg-permalink");
    if (link) { link.textContent = permalink(""); link.href = permalink(""); }
    box.querySelectorAll(".dg-cite-text").forEach(function (span) {
      var b = document.createElement("button");
      b.type = "button"; b.className = "dg-copy"; b.textContent = ui === "en" ? "Copy" : "复制";
      b.addEventListener("click", function () {
        var text = span.closest(".dg-cite-en") ? citation("") : span.textContent.replace(/\s*\S+$/, " " + permalink(""));
        copy(text); b.textContent = ui === "en" ? "Copied" : "已复制";
      });
      span.parentNode.appendChild(b);
    });
  }

  function paragraphMenus() {
    document.querySelectorAll(".dg-unit > .dg-pilcrow").forEach(function (a) {
      a.addEventListener("click", function (e) {
        e.preventDefault();
        var unit = a.parentNode;
        var open = unit.querySelector(".dg-menu");
        document.querySelectorAll(".dg-menu").forEach(function (m) { m.remove(); });
        if (open) return;
        history.replaceState(null, "", "#" + unit.id);
        var menu = document.createElement("div");
        menu.className = "dg-menu"; menu.setAttribute("role", "menu");
        [["link", ui === "en" ? "Copy link to this paragraph" : "复制本段链接"],
         ["cite", ui === "en" ? "Copy citation of this paragraph" : "复制本段引用"]].forEach(function (item) {
          var b = document.createElement("button");
          b.type = "button"; b.setAttribute("role", "menuitem"); b.dataset.action = item[0]; b.textContent = item[1];
          b.addEventListener("click", function () {
            var text = item[0] === "link" ? permalink(unit.id) : citation(unit.id);
            copy(text);
            menu.dataset.copied = text;
            b.textContent = (ui === "en" ? "Copied: " : "已复制：") + item[1];
          });
          menu.appendChild(b);
        });
        unit.appendChild(menu);
        menu.querySelector("button").focus();
      });
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape") document.querySelectorAll(".dg-menu").forEach(function (m) { m.remove(); });
    });
  }

  function anchorAliases() {
    var el = document.getElementById("dg-anchor-aliases");
    var id = decodeURIComponent(location.hash.slice(1));
    if (!el || !id || document.getElementById(id)) return;
    try {
      var to = JSON.parse(el.textContent)[id];
      if (to && document.getElementById(to)) { history.replaceState(null, "", "#" + to); document.getElementById(to).scrollIntoView(); }
    } catch (e) { /* ignore a broken alias table */ }
  }

  function init() { readingControl(); languageSwitch(); citeBox(); paragraphMenus(); anchorAliases(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
