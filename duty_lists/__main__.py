"""``python -m duty_lists`` is the ``duty-lists`` command."""

import sys

from duty_lists.ingest.cli import main

sys.exit(main())
