"""`python -m okrcoach`: the command line (okrcoach/cli/commands.py)."""

import sys

from okrcoach.cli.commands import main

sys.exit(main())
