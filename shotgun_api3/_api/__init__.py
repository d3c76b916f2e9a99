"""The API methods of ``Shotgun``, grouped by family into mixin classes."""
