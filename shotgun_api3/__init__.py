"""A faithful, drop-in shotgun_api3 for Flow Production Tracking."""

__version__ = "3.10.3"
