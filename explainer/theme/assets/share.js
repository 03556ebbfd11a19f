/* Embed code and citations: make a root-relative snippet or cited address absolute (without
   site_url the site knows its address only when it is served; the site's root is the folder
   above this script's, assets/, so a site served under a sub-folder such as a GitHub Pages
   project site gets the right address too), let the writer choose how the embedded chart looks
   (the embed page's ?theme=, ?plain= and ?static= flags, written into the iframe's address as
   they are picked, and the same choices as the script embed's data-theme, data-plain and
   data-static attributes), and let the reader copy it with one click. */
(function () {
  "use strict";
  var script = document.currentScript;
  var root = script && script.src ? new URL("../", script.src).href : location.origin + "/";
  // the embed codes' src="/…" and the BibTeX's \url{/…}
  Array.prototype.forEach.call(document.querySelectorAll("textarea.embed-code[data-relative]"), function (area) {
    area.value = area.value
      .replace(/src="\/([^"]*)"/g, function (_, path) {
        return 'src="' + root + path + '"';
      })
      .replace(/\\url\{\/([^}]*)\}/g, function (_, path) {
        return "\\url{" + root + path + "}";
      });
  });
  // the APA reference's address, and the note that explains it without JavaScript
  Array.prototype.forEach.call(document.querySelectorAll(".chart-cite .cite-url[data-path]"), function (span) {
    span.textContent = root + span.getAttribute("data-path").replace(/^\//, "");
  });
  Array.prototype.forEach.call(document.querySelectorAll("p.cite-relative"), function (note) {
    note.hidden = true;
  });
  Array.prototype.forEach.call(document.querySelectorAll("fieldset.embed-options"), function (options) {
    var area = document.getElementById(options.getAttribute("data-for"));
    var script = document.getElementById(options.getAttribute("data-script-for"));
    if (!area) return;
    options.classList.add("is-ready");
    function update() {
      var flags = [];  // on the iframe's address: ?theme=dark&plain=1
      var attributes = "";  // on the script embed's <div>: data-theme="dark" data-plain
      var theme = options.querySelector("input[type=radio]:checked");
      if (theme && theme.value !== "light") {  // light: the default
        flags.push("theme=" + theme.value);
        attributes += ' data-theme="' + theme.value + '"';
      }
      Array.prototype.forEach.call(options.querySelectorAll("input[type=checkbox]:checked"), function (box) {
        flags.push(box.name + "=1");
        attributes += " data-" + box.name;
      });
      var plain = options.querySelector("input[name=plain]");
      var ratio = options.getAttribute(plain && plain.checked ? "data-plain-ratio" : "data-ratio");
      area.value = area.value
        .replace(/(<iframe src="[^"?]*)[^"]*"/, function (_, address) {
          return address + (flags.length ? "?" + flags.join("&amp;") : "") + '"';
        })
        .replace(/aspect-ratio:[^;"]*/, "aspect-ratio:" + ratio);
      if (script) {
        script.value = script.value.replace(/(<div data-explainer-chart="[^"]*" data-lang="[^"]*")[^>]*>/, function (_, div) {
          return div + attributes + ">";
        });
      }
    }
    options.addEventListener("change", update);
    update();  // a reloaded page keeps the choices ticked: the code says what they ask for
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
