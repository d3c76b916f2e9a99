"""Thin shim so that `python setup.py ...` and old pip versions keep working; see pyproject.toml."""
from setuptools import setup

setup()
