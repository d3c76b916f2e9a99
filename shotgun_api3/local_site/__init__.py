"""The local site: a Flow Production Tracking site on this machine, over HTTP(S).

It speaks the wire protocol of a hosted site on top of the shared engine,
keeps its data in SQLite in a site folder, and checks credentials like a
site. See ``docs/local_site.rst`` for the guide and ``python -m
shotgun_api3.local_site --help`` for the command line.
"""
