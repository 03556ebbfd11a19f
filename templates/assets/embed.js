/* On an embed page: tell the page that holds the iframe how tall the chart is, whenever that
   changes, in every resize protocol a host may speak, all from one ResizeObserver:
   - WordPress (4.4+): the host adds #?secret=… to our address and hides the iframe until we
     post {message: "height", value, secret}; it says {message: "ready", secret} when it listens.
     A sandboxed iframe cannot navigate the top window, so links ask the host: {message: "link"}.
   - this site's own embed script: {type: "ono-embed:height", height};
   - AMP's amp-iframe: {sentinel: "amp", type: "embed-size", height};
   - Embedly and Flourish: the JSON string {context: "iframe.resize", src, height}. */
(function () {
  "use strict";
  if (window.parent === window || !window.ResizeObserver) return;
  var match = /[#&?]secret=([A-Za-z0-9]+)/.exec(window.location.hash);
  var secret = match ? match[1] : null;
  var last = 0;

  function post(message) { window.parent.postMessage(message, "*"); }

  function report(force) {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last && !force) return;
    last = height;
    post({ type: "ono-embed:height", height: height });
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
  new ResizeObserver(function () { report(false); }).observe(document.documentElement);
  report(false);
})();
