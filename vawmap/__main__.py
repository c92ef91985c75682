import sys

from vawmap.cli import main

sys.exit(main())
