"""``shotgun_api3.lib.certifi``: the installed certifi, under the name the reference bundled it as.

Code written for the reference imports it (``shotgun_api3.lib.certifi.where()``);
this name refers to the very module of the ``certifi`` dependency, so its CA
bundle is the one the client verifies sites against by default.
"""
import sys

import certifi as _certifi

sys.modules[__name__] = _certifi
