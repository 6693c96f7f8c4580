import sys

from kfor_desk.cli import main

sys.exit(main())
