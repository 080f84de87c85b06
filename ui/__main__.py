"""``python -m ui`` runs Kasir, like the ``kasir`` console script."""

import sys

from ui.cli import main

sys.exit(main())
