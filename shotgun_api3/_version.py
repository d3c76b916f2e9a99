"""The package's versions, in a module of their own so any module can read them without an import cycle."""

__version__ = "3.10.3"
# What tells this package from the reference at run time, even in a copied folder:
# the reference release line plus our label (the distribution's version in pyproject.toml).
__distribution_version__ = "3.10.3+dropin.1"
