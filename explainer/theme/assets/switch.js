/* The language switch keeps the reader's section. Every language gives a section the same id
   (explainer/load/sections.py), so the link to another language is pointed at the section the
   reader is in, the last heading above the top of the window, as it is followed. Without
   JavaScript it leads to the top of the counterpart page. So that the switch is at hand there,
   the header comes back (sticky) while the reader scrolls up, and goes as they read on. */
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
  var head = document.querySelector(".masthead");
  // where the last scroll left the page: reading pageYOffset here, as the page loads, would
  // force its first layout inside this script (a long task on a phone); the page opens at the
  // top, and one restored or sent to an anchor lower down scrolls there, which reads as down
  var last = 0;
  window.addEventListener("scroll", function () {
    var y = window.pageYOffset;
    if (head && Math.abs(y - last) > 4) {
      // measured before the class changes: the other way round, reading the height would force
      // a layout of the whole page in the middle of each scroll
      var pin = y < last && y > head.offsetHeight;
      head.classList.toggle("is-pinned", pin);
      last = y;
    }
  }, { passive: true });
  for (var i = 0; i < links.length; i++) {
    links[i].addEventListener("pointerdown", follow);
    links[i].addEventListener("focus", follow);
    links[i].addEventListener("click", follow);
  }
})();
