"""`python -m explainer ...`: the same command line as `explainer ...`."""

import sys

from explainer.cli import main

sys.exit(main())
