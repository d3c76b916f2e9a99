"""The RPCs beyond records and schema: info, text search, note threads, activity streams, follows, work schedules, preferences, navigation, page export."""
