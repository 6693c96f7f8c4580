"""Entry point of the frozen app (PyInstaller runs this file as ``__main__``)."""

import os
import sys

from kfor_desk.cli import main

if __name__ == "__main__":
    if os.environ.get("KFOR_DESK_EXIT_AFTER_PAINT"):  # start-up benchmark hook
        from kfor_desk.ui.paint_probe import install_from_env

        install_from_env()
    sys.exit(main())
