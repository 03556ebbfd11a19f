/* Upgrade each static chart to its interactive view when the reader reaches for it: on the
   first pointer, focus or touch on a chart, or when a chart comes near the viewport after the
   reader has scrolled. The runtime is fetched once per page, never on a page without charts,
   never before the reader does something. If anything fails, the static SVG stays: it already
   shows every figure. */
(function () {
  "use strict";
  var script = document.currentScript;
  var vegaUrl = script && script.getAttribute("data-vega");
  var figures = Array.prototype.slice.call(document.querySelectorAll(".chart[data-spec]"));
  if (!figures.length || !vegaUrl || !("IntersectionObserver" in window) || !window.fetch) return;

  var loading = null;
  function loadVega() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = vegaUrl;
        tag.async = true;
        tag.addEventListener("load", function () { resolve(window.vegaEmbed); });
        tag.addEventListener("error", reject);
        document.head.appendChild(tag);
      });
    }
    return loading;
  }

  function tooltipFor(figure) {
    var tip = document.createElement("div");
    tip.className = "chart-tooltip";
    tip.setAttribute("aria-hidden", "true");
    tip.hidden = true;
    figure.appendChild(tip);
    return function (handler, event, item, value) {
      if (value == null || value === "") { tip.hidden = true; return; }
      var rows = typeof value === "object" ? value : { "": value };
      tip.textContent = "";
      Object.keys(rows).forEach(function (key) {
        var line = document.createElement("div");
        var label = key.trim();
        if (label) {
          var name = document.createElement("span");
          name.textContent = label + " ";
          line.appendChild(name);
        }
        var strong = document.createElement("strong");
        strong.textContent = String(rows[key]);
        line.appendChild(strong);
        tip.appendChild(line);
      });
      var box = figure.getBoundingClientRect();
      tip.hidden = false;
      var x = event.clientX - box.left + 12;
      var maxX = box.width - tip.offsetWidth - 4;
      tip.style.left = Math.max(4, Math.min(x, maxX)) + "px";
      tip.style.top = (event.clientY - box.top + 14) + "px";
    };
  }

  function upgrade(figure) {
    if (figure.hasAttribute("data-upgrading")) return;
    figure.setAttribute("data-upgrading", "");
    var spec = fetch(figure.getAttribute("data-spec")).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    });
    Promise.all([loadVega(), spec]).then(function (both) {
      var vegaEmbed = both[0];
      var canvas = figure.querySelector(".chart-canvas");
      var live = document.createElement("div");
      live.className = "chart-live";
      // ast + defaultStyle false: no eval and no injected <style>, so the CSP needs neither
      var options = { mode: "vega", renderer: "svg", actions: false, ast: true, defaultStyle: false,
        tooltip: tooltipFor(figure) };
      return vegaEmbed(live, both[1], options).then(function () {
        var fresh = live.querySelector("svg");
        var old = canvas.querySelector("svg");
        Array.prototype.forEach.call(live.querySelectorAll("svg *"), function (node) {
          ["role", "aria-roledescription", "aria-label", "aria-hidden"].forEach(function (name) {
            node.removeAttribute(name);
          });
        });
        if (fresh && old) {
          ["viewBox", "role", "aria-label"].forEach(function (name) {
            if (old.hasAttribute(name)) fresh.setAttribute(name, old.getAttribute(name));
          });
        }
        canvas.replaceChildren(live);
        figure.classList.add("is-live");
      });
    }).catch(function () { figure.classList.add("is-static"); });
  }

  var observer = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) {
        observer.unobserve(entry.target);
        upgrade(entry.target);
      }
    });
  }, { rootMargin: "200px 0px" });

  figures.forEach(function (figure) {
    ["pointerenter", "focusin", "touchstart"].forEach(function (type) {
      figure.addEventListener(type, function () { upgrade(figure); }, { once: true, passive: true });
    });
  });
  window.addEventListener("scroll", function () {
    figures.forEach(function (figure) { observer.observe(figure); });
  }, { once: true, passive: true });
})();
