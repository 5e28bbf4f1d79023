import sys

from trialdata.cli import main

sys.exit(main())
