"""``python -m consulates``: the command line, where the ``consulates`` script is not on the PATH."""

from __future__ import annotations

import sys

from consulates.cli import main

if __name__ == "__main__":
    sys.exit(main())
