"""``python -m parkflow.maps --bundled maps/``: write the maps of the bundled scenarios."""

import sys

from parkflow.maps.render import main

sys.exit(main())
