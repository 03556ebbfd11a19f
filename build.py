"""This explainer's own entry: the engine's command line, run on this folder's project.

Usage:  python build.py [build|serve|check] [--site-dir site] [--site-url URL] ...
(the same as `explainer ...` run here; `explainer --help` lists every option)
"""

from __future__ import annotations

import sys
from pathlib import Path

from explainer.cli import main

if __name__ == "__main__":
    sys.exit(main(project=Path(__file__).resolve().parent))
