import sys

from dn_bodymap.cli import main

sys.exit(main())
