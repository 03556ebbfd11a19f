/* On an embed page: tell the page that holds the iframe how tall the chart is, whenever that
   changes, so its optional resize script can fit the iframe (as Datawrapper embeds do). */
(function () {
  "use strict";
  if (window.parent === window || !window.ResizeObserver) return;
  var last = 0;
  function report() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height !== last) {
      last = height;
      window.parent.postMessage({ type: "ono-embed:height", height: height }, "*");
    }
  }
  new ResizeObserver(report).observe(document.documentElement);
  report();
})();
