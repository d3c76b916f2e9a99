"""Reading records: filters and their relations, dotted paths, ordering, presets, display names and answered values."""
