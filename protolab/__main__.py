import sys

from protolab.cli import main

sys.exit(main())
