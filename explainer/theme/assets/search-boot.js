/* Show the search button (useless without JavaScript, so it starts invisible) and load
   the search code and this language's index only when the reader opens it. */
(function () {
  "use strict";
  var button = document.querySelector("button.search-open");
  if (!button || !window.fetch || typeof HTMLDialogElement !== "function") return;
  button.classList.add("is-ready");
  var loading = null;
  function open() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = button.getAttribute("data-search");
        tag.addEventListener("load", resolve);
        tag.addEventListener("error", reject);
        document.head.appendChild(tag);
      });
    }
    loading.then(function () { window.explainerSearch(button); });
  }
  button.addEventListener("click", open);
  document.addEventListener("keydown", function (event) {
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName) || event.target.isContentEditable;
    if (event.key === "/" && !typing && !event.metaKey && !event.ctrlKey) {
      event.preventDefault();
      open();
    }
  });
})();
