/* On an embed page, loaded in <head> before the page is drawn.

   First, the host's flags on the address (the CSP allows no inline script, so they are read
   here and set as attributes on <html>, which site.css and site.js read):
   - ?theme=dark or ?theme=auto (the reader's system): the page is light unless asked, as host
     pages are, and its color-scheme follows, so a transparent iframe shows no opaque box;
   - ?plain=1: the chart only (site.css hides the title, caption, source and link back);
   - ?static=1: the interactive runtime is never loaded (site.js reads data-static).
   Without JavaScript the page stays as written: light, full, static.

   Then, once the page is parsed: tell the page that holds the iframe how tall the chart is,
   whenever that changes, in every resize protocol a host may speak, all from one ResizeObserver:
   - WordPress (4.4+): the host adds #?secret=… to our address and hides the iframe until we
     post {message: "height", value, secret}; it says {message: "ready", secret} when it listens.
     A sandboxed iframe cannot navigate the top window, so links ask the host: {message: "link"}.
   - this site's own embed script: {type: "explainer-embed:height", height};
   - AMP's amp-iframe: {sentinel: "amp", type: "embed-size", height};
   - Embedly and Flourish: the JSON string {context: "iframe.resize", src, height}. */
(function () {
  "use strict";
  var root = document.documentElement;
  var flags = window.URLSearchParams ? new URLSearchParams(window.location.search) : null;
  var SCHEMES = { dark: "dark", auto: "light dark" };

  function on(name) {
    var value = flags && flags.get(name);
    return value === "1" || value === "true";
  }

  var theme = flags && flags.get("theme");
  if (SCHEMES.hasOwnProperty(theme)) {
    root.setAttribute("data-theme", theme);
    var meta = document.querySelector('meta[name="color-scheme"]');
    if (meta) meta.setAttribute("content", SCHEMES[theme]);
  }
  if (on("plain")) root.setAttribute("data-plain", "");
  if (on("static")) root.setAttribute("data-static", "");
})();
(function () {
  "use strict";
  if (window.parent === window || !window.ResizeObserver) return;
  var match = /[#&?]secret=([A-Za-z0-9]+)/.exec(window.location.hash);
  var secret = match ? match[1] : null;
  var last = 0;
  var started = false;  // nothing to measure until the page is parsed

  function post(message) { window.parent.postMessage(message, "*"); }

  function report(force) {
    if (!started) return;
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last && !force) return;
    last = height;
    post({ type: "explainer-embed:height", height: height });
    post({ sentinel: "amp", type: "embed-size", height: height });
    post(JSON.stringify({ context: "iframe.resize", src: window.location.href, height: height }));
    if (secret) post({ message: "height", value: height, secret: secret });
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (event.source === window.parent && data && data.message === "ready" && data.secret === secret) report(true);
  });
  if (secret) {
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a[href]");
      if (!link || link.target !== "_top") return;
      event.preventDefault();
      post({ message: "link", value: link.href, secret: secret });
    });
  }
  function start() {
    started = true;
    new ResizeObserver(function () { report(false); }).observe(document.documentElement);
    report(false);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
