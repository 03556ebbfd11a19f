/* The language switch keeps the reader's section. Every language gives a section the same id
   (explainer/load/sections.py), so the link to another language is pointed at the section the
   reader is in, the last heading above the top of the window, as it is followed. Without
   JavaScript it leads to the top of the counterpart page. */
(function () {
  "use strict";
  var links = document.querySelectorAll("nav.languages a.language");
  if (!links.length) return;
  function section() {
    var heads = document.querySelectorAll("main h2[id]");
    var id = "";
    for (var i = 0; i < heads.length; i++) {
      if (heads[i].getBoundingClientRect().top > 96) break;
      id = heads[i].id;
    }
    return id;
  }
  function follow(event) {
    var link = event.currentTarget;
    var id = section();
    link.href = link.href.split("#")[0] + (id ? "#" + id : "");
  }
  for (var i = 0; i < links.length; i++) {
    links[i].addEventListener("pointerdown", follow);
    links[i].addEventListener("focus", follow);
    links[i].addEventListener("click", follow);
  }
})();
