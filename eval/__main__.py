"""`python -m eval` is `python -m eval.run`."""

import sys

from eval.run import main

sys.exit(main())
