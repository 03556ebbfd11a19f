/* Search, loaded only when the reader opens it. A case-insensitive substring search over the
   page sections of this language: Chinese needs no word segmentation at this size. Every
   result links to its section; text is inserted as text, never as HTML. When nothing is found,
   it offers the same words in each other language: their index is loaded only if asked. */
(function () {
  "use strict";
  var MAX = 20;
  var entries = null;
  var loaded = {};
  var dialog, input, list, status, others, strings;

  function load(url) {
    if (!loaded[url]) {
      loaded[url] = fetch(url).then(function (r) { return r.json(); }).then(function (data) {
        return data.map(function (e) {
          e.hay = (e.t + " " + e.h + " " + e.x).toLowerCase();
          return e;
        });
      });
    }
    return loaded[url];
  }

  function snippet(text, term) {
    var at = text.toLowerCase().indexOf(term);
    if (at < 0) return { before: text.slice(0, 90), match: "", after: "" };
    var start = Math.max(0, at - 36);
    return {
      before: (start ? "…" : "") + text.slice(start, at),
      match: text.slice(at, at + term.length),
      after: text.slice(at + term.length, at + term.length + 60) + "…"
    };
  }

  function render(query, base) {
    if (!entries) return;  // the index is still loading; it renders the query when it arrives
    show(entries, query, base, null);
  }

  function show(pool, query, base, lang) {
    var terms = query.toLowerCase().split(/\s+/).filter(Boolean);
    list.textContent = "";
    others.textContent = "";
    if (!terms.length) { status.textContent = ""; return; }
    var hits = pool.filter(function (e) {
      return terms.every(function (t) { return e.hay.indexOf(t) >= 0; });
    }).map(function (e) {
      var score = terms.reduce(function (s, t) {
        return s + (e.t.toLowerCase().indexOf(t) >= 0 ? 4 : 0) + (e.h.toLowerCase().indexOf(t) >= 0 ? 2 : 0);
      }, 0);
      return { e: e, score: score };
    }).sort(function (a, b) { return b.score - a.score; }).slice(0, MAX);
    status.textContent = hits.length ? strings.count.replace("{n}", hits.length) : strings.none;
    if (!hits.length && !lang) offer(query);
    hits.forEach(function (hit) {
      var e = hit.e;
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = base + e.u;
      if (lang) { link.hreflang = lang; link.lang = lang; }
      var title = document.createElement("strong");
      title.textContent = e.h ? e.t + " › " + e.h : e.t;
      link.appendChild(title);
      var text = document.createElement("span");
      var s = snippet(e.x, terms[0]);
      text.appendChild(document.createTextNode(s.before));
      if (s.match) {
        var mark = document.createElement("mark");
        mark.textContent = s.match;
        text.appendChild(mark);
      }
      text.appendChild(document.createTextNode(s.after));
      link.appendChild(text);
      link.addEventListener("click", function () { dialog.close(); });
      item.appendChild(link);
      list.appendChild(item);
    });
  }

  // Nothing found: a button per other language, which searches its pages for the same words.
  function offer(query) {
    strings.others.forEach(function (other) {
      var ask = document.createElement("button");
      ask.type = "button";
      ask.className = "search-other";
      ask.textContent = strings.other.replace("{language}", other.name).replace("{query}", query.trim());
      ask.addEventListener("click", function () {
        load(other.base + strings.file).then(function (pool) {
          show(pool, query, other.base, other.lang);
          var first = list.querySelector("a");
          if (first) first.focus();
        });
      });
      others.appendChild(ask);
    });
  }

  function build(button) {
    strings = {
      label: button.getAttribute("data-label"),
      close: button.getAttribute("data-close"),
      none: button.getAttribute("data-none"),
      count: button.getAttribute("data-count"),
      other: button.getAttribute("data-other"),
      file: button.getAttribute("data-index").split("/").pop(),
      others: []
    };
    var names = (button.getAttribute("data-others") || "").split("|");
    var bases = (button.getAttribute("data-other-bases") || "").split("|");
    var langs = (button.getAttribute("data-other-langs") || "").split("|");
    names.forEach(function (name, i) {
      if (name) strings.others.push({ name: name, base: bases[i], lang: langs[i] });
    });
    dialog = document.createElement("dialog");
    dialog.className = "search";
    dialog.setAttribute("aria-label", strings.label);
    var form = document.createElement("form");
    form.setAttribute("role", "search");
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    input = document.createElement("input");
    input.type = "search";
    input.setAttribute("aria-label", strings.label);
    input.placeholder = strings.label;
    input.autocomplete = "off";
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = strings.close;
    close.addEventListener("click", function () { dialog.close(); });
    form.appendChild(input);
    form.appendChild(close);
    status = document.createElement("p");
    status.className = "search-status";
    status.setAttribute("role", "status");
    list = document.createElement("ol");
    list.className = "search-results";
    others = document.createElement("p");
    others.className = "search-others";
    dialog.appendChild(form);
    dialog.appendChild(status);
    dialog.appendChild(others);
    dialog.appendChild(list);
    document.body.appendChild(dialog);
    var base = button.getAttribute("data-base");
    input.addEventListener("input", function () { render(input.value, base); });
  }

  window.explainerSearch = function (button) {
    if (!dialog) build(button);
    dialog.showModal();
    input.focus();
    return load(button.getAttribute("data-index")).then(function (pool) {
      entries = pool;
      if (input.value) render(input.value, button.getAttribute("data-base"));
      dialog.setAttribute("data-ready", "");
    });
  };
})();
