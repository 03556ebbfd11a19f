"""vl-convert, imported and set up once per process: no URL allowed, its logs as quiet as 1.9's.

Every drawing, PNG and runtime bundle goes through `converter()`, never `import vl_convert`
directly, so that no conversion runs with the library's defaults:

- `allowed_base_urls=[]`: vl-convert fetches nothing, from no host and no file (its default allows
  every http and https URL). The chart workers run without a network anyway
  (explainer/draw/confine.py) and a chart that names a URL is refused at its line
  (explainer/draw/remote_data.py); this is the third wall.
- The JavaScript bundler vl-convert uses for the interactive runtime (swc) logs its tree-shaker's
  passes at ERROR level ("tree-shaker; pass=1"), forwarded to Python's logging: instrumentation,
  not errors (vl-convert's own Rust logger switches that module off). Switched off here too, so a
  build prints nothing of it.
- Vega-Lite's warnings ("Channel fillOpacity should not be used with an unsorted discrete
  field"), which vl-convert 1.9 dropped and 2.0 forwards to Python's logging, are dropped too; its
  errors still show.

Import it only where it is used, and in a chart worker only once the worker is confined:
importing vl-convert starts its thread pool, and a thread started before the confinement would
not be confined (a network namespace and Landlock bind the threads started after them).
"""

from __future__ import annotations

import logging
from types import ModuleType

from explainer.draw.remote_data import NO_URLS

# the bundler's module whose tree-shaker spans come as ERROR records (not errors)
BUNDLER_NOISE = "swc_ecma_transforms_optimization"
VEGA_LITE_WARNINGS = "vl_convert"  # the logger vl-convert forwards Vega-Lite's warnings to

_module: list[ModuleType] = []


def converter() -> ModuleType:
    """vl-convert, set up for this process on first use (no URL allowed, the bundler quiet)."""
    if not _module:
        logging.getLogger(BUNDLER_NOISE).setLevel(logging.CRITICAL + 1)  # before vl-convert reads the levels
        logging.getLogger(VEGA_LITE_WARNINGS).setLevel(logging.ERROR)
        import vl_convert as vlc

        vlc.configure(allowed_base_urls=NO_URLS)
        _module.append(vlc)
    return _module[0]
