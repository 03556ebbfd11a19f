/* Embed code: make a root-relative snippet absolute (without site_url the site knows its address
   only when it is served), and let the reader copy it with one click. The site's root is the
   folder above this script's (assets/), so a site served under a sub-folder (a GitHub Pages
   project site) fills in the right address too. */
(function () {
  "use strict";
  var script = document.currentScript;
  var root = script && script.src ? new URL("../", script.src).href : location.origin + "/";
  Array.prototype.forEach.call(document.querySelectorAll("textarea.embed-code[data-relative]"), function (area) {
    area.value = area.value.replace(/src="\/([^"]*)"/g, function (_, path) {
      return 'src="' + root + path + '"';
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll("button.copy-embed"), function (button) {
    var area = document.getElementById(button.getAttribute("data-copy"));
    if (!area) return;
    button.classList.add("is-ready");
    var label = button.textContent;
    button.addEventListener("click", function () {
      var done = function () {
        button.textContent = button.getAttribute("data-done");
        setTimeout(function () { button.textContent = label; }, 1500);
      };
      // where copying is refused, the code is left selected for the reader to copy by hand
      var byHand = function () {
        area.focus();
        area.select();
        try { if (document.execCommand("copy")) done(); } catch (e) { /* stays selected */ }
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(area.value).then(done, byHand);
      } else {
        byHand();
      }
    });
  });
})();
