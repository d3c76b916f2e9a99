"""Where a site keeps its data: the Store protocol, the SQLite store and the file store."""
