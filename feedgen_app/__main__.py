"""`python -m feedgen_app` runs the same command line as `feedgen-app`."""

import sys

from feedgen_app.cli import main

sys.exit(main())
