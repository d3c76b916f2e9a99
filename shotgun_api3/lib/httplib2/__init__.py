"""``shotgun_api3.lib.httplib2``: the installed httplib2, under the name scripts import.

The reference release bundled a copy of httplib2; we depend on the PyPI
package instead and make this name refer to that very module, so
``shotgun_api3.lib.httplib2.Http is httplib2.Http`` and exception classes
caught by user code are the ones actually raised. ``socks`` is PySocks (a
dependency), which carries ``HTTPError``, ``ProxyError`` and
``PROXY_TYPE_HTTP`` like the bundled module did.
"""
import sys

import httplib2 as _httplib2
import socks as _socks

if getattr(_httplib2, "socks", None) is None:
    # httplib2 imports PySocks when present; make sure the attribute exists
    # even if httplib2 was imported before PySocks was installed.
    _httplib2.socks = _socks

sys.modules[__name__] = _httplib2
sys.modules[__name__ + ".socks"] = _httplib2.socks
