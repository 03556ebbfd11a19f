/* Last in site.js: every part above has done its startup work (the charts wait for the reader,
   search for its button, the embed codes and citations are filled in, the language switch
   listens), so <html> says so. Nothing on the page starts a request after this on its own: what
   loads later (the chart runtime and specs, search) loads because the reader did something.
   Tests wait for it instead of a quiet network (docs/testing.md). */
document.documentElement.setAttribute("data-ready", "1");
