"""Libraries that code written for shotgun_api3 imports from ``shotgun_api3.lib``."""
