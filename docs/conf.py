"""Sphinx configuration for the shotgun_api3 documentation."""
import os
import sys

sys.path.insert(0, os.path.abspath(".."))

project = "shotgun_api3"
author = "The shotgun_api3 drop-in authors"
copyright = "2026, " + author
extensions = ["sphinx.ext.autodoc", "sphinx.ext.napoleon"]
autodoc_member_order = "bysource"
exclude_patterns = ["_build"]
html_theme = "alabaster"
nitpicky = False
