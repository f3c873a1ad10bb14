"""Entry point for `python -m handbook`."""

import sys

from .cli import main

sys.exit(main())
