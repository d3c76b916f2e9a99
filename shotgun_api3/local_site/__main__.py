"""``python -m shotgun_api3.local_site``: the local site command line."""
import sys

from .cli import main

sys.exit(main())
