"""``python -m pos.sandbox`` — same as ``kasir sandbox``."""

import sys

from pos.sandbox.cli import main

if __name__ == "__main__":
    sys.exit(main())
