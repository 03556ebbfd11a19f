/* Upgrade each static chart to its interactive view when the reader reaches for it: on the
   first pointer, focus or touch on a chart, or when a chart comes near the viewport after the
   reader has scrolled. The runtime is fetched once per page, never on a page without charts,
   never before the reader does something, never on an embed asked to stay static. If anything
   fails, the static SVG stays: it already shows every figure.

   A chart has one view per layout (narrow, wide); CSS shows the one that fits. The interactive
   view runs that same layout's Vega spec inside that same box, so nothing moves. If the reader
   resizes across the breakpoint, the newly shown layout is upgraded in its own box.

   Every chart gets the same keyboard and touch access: Tab reaches the chart, the arrow keys
   move from mark to mark (the marks that have a tooltip, read from the Vega scenegraph), the
   focused mark shows its tooltip and is announced through a live region; a tap on a mark shows
   its tooltip.

   One function for every place a chart lives: `root` is the document on our pages (site.js),
   or the shadow root a script embed puts the chart in on another site's page (the embed script
   carries this file). Nothing here looks outside `root` but the one <script> that loads the
   runtime, and that adds no global: the runtime hands vegaEmbed to its own <script> element. */
function enhanceCharts(root, vegaUrl) {
  "use strict";
  var figures = Array.prototype.slice.call(root.querySelectorAll(".chart[data-spec]"));
  // an embed page whose host asked for ?static=1 (embed.js marks <html>), or a script embed whose
  // writer marked its <div data-static>: the static SVG only, named by its title alone (no arrow
  // keys to announce without the interactive view)
  var flagged = root === document ? document.documentElement : root.host;
  if (flagged && flagged.hasAttribute("data-static")) {
    figures.forEach(function (figure) {
      Array.prototype.forEach.call(figure.querySelectorAll(".chart-view"), function (view) {
        var svg = view.querySelector("svg[aria-label]");
        if (svg) view.setAttribute("aria-label", svg.getAttribute("aria-label"));
      });
    });
    return;
  }
  if (!figures.length || !vegaUrl || !("IntersectionObserver" in window) || !window.fetch) return;

  var loading = null;
  function loadVega() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        // one runtime per page, whichever of our charts or embeds asked for it first
        var src = new URL(vegaUrl, document.baseURI).href;
        var tag = Array.prototype.filter.call(document.querySelectorAll("script[data-explainer-runtime]"), function (s) {
          return s.src === src;
        })[0];
        if (tag && tag.vegaEmbed) { resolve(tag.vegaEmbed); return; }
        if (!tag) {
          tag = document.createElement("script");
          tag.src = src;
          tag.async = true;
          tag.setAttribute("data-explainer-runtime", "");
          document.head.appendChild(tag);
        }
        tag.addEventListener("load", function () {
          if (tag.vegaEmbed) resolve(tag.vegaEmbed);
          else reject(new Error("no runtime"));
        });
        tag.addEventListener("error", reject);
      });
    }
    return loading;
  }

  /* One chart at a time, each drawn in a task of its own: the runtime's evaluation ends a task,
     and so does each chart's first drawing (Vega's own work, which nothing outside it can split),
     so the page answers a tap or a key between them instead of freezing through all of it at
     once (several charts near the viewport became interactive in one task of over a second on a
     phone). scheduler.yield puts the chart's task ahead of other queued work where it exists. */
  var turn = Promise.resolve();
  function nextTask() {
    if (window.scheduler && typeof window.scheduler.yield === "function") return window.scheduler.yield();
    return new Promise(function (resolve) { setTimeout(resolve, 0); });
  }
  function inTurn(work) {
    var done = turn.then(nextTask).then(work);
    turn = done.catch(function () {});
    return done;
  }

  function shownView(figure) {
    var views = figure.querySelectorAll(".chart-view");
    for (var i = 0; i < views.length; i++) {
      if (views[i].getClientRects().length) return views[i];
    }
    return null;
  }

  /* The tooltip (for the eyes) and the live region (for screen readers), one pair per figure. */
  function parts(figure) {
    if (!figure._tip) {
      var tip = document.createElement("div");
      tip.className = "chart-tooltip";
      tip.setAttribute("aria-hidden", "true");
      tip.hidden = true;
      var live = document.createElement("div");
      live.className = "visually-hidden";
      live.setAttribute("aria-live", "polite");
      figure.appendChild(tip);
      figure.appendChild(live);
      figure._tip = tip;
      figure._announce = live;
    }
    return figure._tip;
  }

  function lines(value) {
    var rows = typeof value === "object" ? value : { "": value };
    return Object.keys(rows).map(function (key) { return [key.trim(), String(rows[key])]; });
  }

  /* `box`: the figure's rectangle, when the caller measured it before changing anything. */
  function showTip(figure, value, clientX, clientY, box) {
    box = box || figure.getBoundingClientRect();
    var tip = parts(figure);
    tip.textContent = "";
    lines(value).forEach(function (pair) {
      var line = document.createElement("div");
      if (pair[0]) {
        var name = document.createElement("span");
        name.textContent = pair[0] + " ";
        line.appendChild(name);
      }
      var strong = document.createElement("strong");
      strong.textContent = pair[1];
      line.appendChild(strong);
      tip.appendChild(line);
    });
    tip.hidden = false;
    var x = clientX - box.left + 12;
    tip.style.left = Math.max(4, Math.min(x, box.width - tip.offsetWidth - 4)) + "px";
    tip.style.top = (clientY - box.top + 14) + "px";
  }

  function hideTip(figure) {
    if (figure._tip) figure._tip.hidden = true;
  }

  function tooltipHandler(figure) {
    return function (handler, event, item, value) {
      if (value == null || value === "") {
        // a mark chosen with the keys (or a tap) keeps its tooltip when the pointer, or a scroll
        // under a resting pointer, leaves a mark; the next mark it points at replaces it
        if (!figure.querySelector(".chart-focus:not([hidden])")) hideTip(figure);
        return;
      }
      showTip(figure, value, event.clientX, event.clientY);
    };
  }

  /* The marks a reader can step through: scenegraph items with a tooltip, each tooltip once (a
     bar and its label are one mark), with their boxes in the SVG's own coordinates, in reading
     order: panel by panel as the chart stacks them, and within a panel row by row, top down, each
     row left to right. Marks whose boxes overlap from top to bottom (or nearly touch) are one row:
     bars hanging from one baseline, and a marker standing on it, however long; so a grid reads
     1-5 then 6-10, a list top down, a bar chart left to right. */
  var LEVEL = 2;  // px: marks this close from top to bottom are on one row

  function marksOf(view) {
    var origin = view.origin();
    var found = [];
    var seen = {};
    var panels = 0;
    (function walk(node, dx, dy, panel) {
      (node.items || []).forEach(function (item) {
        if (item.items) {
          if (item.marktype) { walk(item, dx, dy, panel); return; }
          // a group's instance: a panel of a stacked chart (or the whole of a single one)
          walk(item, dx + (item.x || 0), dy + (item.y || 0), node.marktype === "group" ? panels++ : panel);
          return;
        }
        if (item.tooltip != null && item.tooltip !== "" && item.bounds && !item.bounds.empty()) {
          var key = JSON.stringify(item.tooltip);
          if (seen[key]) return;
          seen[key] = true;
          var b = item.bounds;
          found.push({ value: item.tooltip, panel: panel, order: found.length,
            x1: b.x1 + dx, y1: b.y1 + dy, x2: b.x2 + dx, y2: b.y2 + dy });
        }
      });
    })(view.scenegraph().root, origin[0], origin[1], -1);
    var ordered = [];
    var byPanel = {};
    found.forEach(function (m) { (byPanel[m.panel] = byPanel[m.panel] || []).push(m); });
    Object.keys(byPanel).map(Number).sort(function (a, b) { return a - b; }).forEach(function (panel) {
      var rest = byPanel[panel].slice().sort(function (a, b) { return (a.y1 - b.y1) || (a.x1 - b.x1) || (a.order - b.order); });
      var row = [];
      var bottom = -Infinity;
      rest.concat([null]).forEach(function (m) {
        // a mark that starts above the row's lowest end (or within LEVEL px of it) is level with it
        if (m && (!row.length || m.y1 < bottom + LEVEL)) {
          row.push(m);
          bottom = Math.max(bottom, m.y2);
          return;
        }
        row.sort(function (a, b) { return (a.x1 + a.x2 - b.x1 - b.x2) || (a.order - b.order); });
        ordered.push.apply(ordered, row);
        row = m ? [m] : [];
        bottom = m ? m.y2 : -Infinity;
      });
    });
    return ordered;
  }

  /* From SVG coordinates to the page: the live SVG is scaled into its box (viewBox, meet). */
  function placement(box) {
    var svg = box.querySelector(".chart-live svg");
    var rect = svg.getBoundingClientRect();
    var vb = svg.viewBox.baseVal;
    var scale = Math.min(rect.width / vb.width, rect.height / vb.height);
    return {
      scale: scale,
      left: rect.left + (rect.width - vb.width * scale) / 2,
      top: rect.top + (rect.height - vb.height * scale) / 2
    };
  }

  function focusMark(figure, box, index) {
    var marks = box._marks;
    if (!marks || !marks.length) return;
    box._index = (index + marks.length) % marks.length;
    var mark = marks[box._index];
    // everything measured before anything changes: one layout, not one per measure
    var at = placement(box);
    var own = box.getBoundingClientRect();
    var frame = figure.getBoundingClientRect();
    var ring = box.querySelector(".chart-focus");
    if (!ring) {
      ring = document.createElement("div");
      ring.className = "chart-focus";
      box.appendChild(ring);
    }
    ring.hidden = false;
    ring.style.left = (at.left - own.left + mark.x1 * at.scale - 3) + "px";
    ring.style.top = (at.top - own.top + mark.y1 * at.scale - 3) + "px";
    ring.style.width = ((mark.x2 - mark.x1) * at.scale + 6) + "px";
    ring.style.height = ((mark.y2 - mark.y1) * at.scale + 6) + "px";
    var top = at.top + mark.y1 * at.scale - 3;
    var bottom = at.top + mark.y2 * at.scale + 3;
    if (ring.scrollIntoView && (top < 0 || bottom > window.innerHeight)) {
      ring.scrollIntoView({ block: "nearest", inline: "nearest" });  // a tall chart's mark below the fold
      at = placement(box);
      frame = figure.getBoundingClientRect();
    }
    showTip(figure, mark.value, at.left + mark.x2 * at.scale, at.top + (mark.y1 + mark.y2) / 2 * at.scale, frame);
    figure._announce.textContent = (box._index + 1) + "/" + marks.length + ": " +
      lines(mark.value).map(function (pair) { return (pair[0] ? pair[0] + " " : "") + pair[1]; }).join("; ");
  }

  function clearFocus(figure, box) {
    var ring = box.querySelector(".chart-focus");
    if (ring) ring.hidden = true;
    hideTip(figure);
  }

  /* The mark under a tap (or the nearest within a finger's width). */
  function markAt(box, clientX, clientY) {
    var at = placement(box);
    var x = (clientX - at.left) / at.scale;
    var y = (clientY - at.top) / at.scale;
    var slop = 16 / at.scale;
    var best = -1;
    var bestDistance = Infinity;
    (box._marks || []).forEach(function (mark, i) {
      var dx = Math.max(mark.x1 - x, 0, x - mark.x2);
      var dy = Math.max(mark.y1 - y, 0, y - mark.y2);
      var distance = Math.sqrt(dx * dx + dy * dy);
      if (distance <= slop && distance < bestDistance) { best = i; bestDistance = distance; }
    });
    return best;
  }

  /* The interactive view in place of the static SVG, in the same box. */
  function draw(figure, box, vegaEmbed, vegaSpec) {
    var live = document.createElement("div");
    live.className = "chart-live";
    // ast + defaultStyle false: no eval and no injected <style>, so the CSP needs neither
    var options = { mode: "vega", renderer: "svg", actions: false, ast: true, defaultStyle: false,
      tooltip: tooltipHandler(figure) };
    return vegaEmbed(live, vegaSpec, options).then(function (result) {
      var old = box.querySelector(":scope > svg");
      Array.prototype.forEach.call(live.querySelectorAll("svg *"), function (node) {
        ["role", "aria-roledescription", "aria-label", "aria-hidden"].forEach(function (name) {
          node.removeAttribute(name);
        });
      });
      var fresh = live.querySelector("svg");
      if (fresh && old) {
        // its own natural size as viewBox: if the browser measured text a pixel differently,
        // the drawing scales by that pixel inside the box; the box itself never moves
        fresh.setAttribute("viewBox", "0 0 " + fresh.getAttribute("width") + " " + fresh.getAttribute("height"));
        ["role", "aria-label"].forEach(function (name) {
          if (old.hasAttribute(name)) fresh.setAttribute(name, old.getAttribute(name));
        });
        box.replaceChild(live, old);
      }
      box._marks = marksOf(result.view);
      figure.classList.add("is-live");
      return box;
    });
  }

  function upgradeView(figure, box) {
    if (!box._ready) {
      var spec = fetch(box.getAttribute("data-spec")).then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      });
      box._ready = Promise.all([loadVega(), spec]).then(function (both) {
        return inTurn(function () { return draw(figure, box, both[0], both[1]); });
      });
      box._ready.catch(function () { figure.classList.add("is-static"); });
    }
    return box._ready;
  }

  /* `box`: the view shown, when the caller measured it already (before anything changed the
     page, so that measuring forces no layout). */
  function upgrade(figure, box) {
    box = box || shownView(figure);
    parts(figure);  // the live region exists before anything is announced in it
    if (!box) return Promise.reject(new Error("hidden"));
    if (!figure._watched && "ResizeObserver" in window) {
      figure._watched = true;
      new ResizeObserver(function () {
        var shown = shownView(figure);
        if (shown && figure.classList.contains("is-live")) upgradeView(figure, shown);
      }).observe(figure);
    }
    return upgradeView(figure, box);
  }

  var KEYS = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };

  // watching each view, not the figure: the one CSS shows is the one that comes near (a hidden
  // one never does), so nothing has to be measured (a measure here forced a layout in a scroll)
  var observer = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (!entry.isIntersecting) return;
      var figure = entry.target.closest(".chart[data-spec]");
      Array.prototype.forEach.call(figure.querySelectorAll(".chart-view"), function (view) { observer.unobserve(view); });
      upgrade(figure, entry.target).catch(function () {});
    });
  }, { rootMargin: "200px 0px" });

  figures.forEach(function (figure) {
    ["pointerenter", "focusin", "touchstart"].forEach(function (type) {
      figure.addEventListener(type, function () { upgrade(figure, null).catch(function () {}); }, { once: true, passive: true });
    });
    Array.prototype.forEach.call(figure.querySelectorAll(".chart-view"), function (box) {
      box.addEventListener("keydown", function (event) {
        var step = KEYS[event.key];
        var home = event.key === "Home";
        var end = event.key === "End";
        if (event.key === "Escape") { clearFocus(figure, box); return; }
        if (!step && !home && !end) return;
        event.preventDefault();
        upgradeView(figure, box).then(function () {
          var current = box._index == null ? -1 : box._index;
          var next = home ? 0 : end ? -1 : current === -1 && step < 0 ? -1 : current + step;
          focusMark(figure, box, next);
        }).catch(function () {});
      });
      box.addEventListener("focusout", function () { clearFocus(figure, box); });
      box.addEventListener("click", function (event) {
        var x = event.clientX;
        var y = event.clientY;
        upgradeView(figure, box).then(function () {
          var index = markAt(box, x, y);
          if (index >= 0) focusMark(figure, box, index);
        }).catch(function () {});
      });
    });
  });
  window.addEventListener("scroll", function () {
    figures.forEach(function (figure) {
      Array.prototype.forEach.call(figure.querySelectorAll(".chart-view"), function (view) { observer.observe(view); });
    });
  }, { once: true, passive: true });
}

/* Our pages: site.js names the runtime in its data-vega attribute. (A script embed's own script
   has none: it calls enhanceCharts on its shadow root itself.) */
(function (script) {
  var vegaUrl = script && script.getAttribute("data-vega");
  if (vegaUrl) enhanceCharts(document, vegaUrl);
})(document.currentScript);
