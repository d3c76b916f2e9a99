"""Changing records: the record RPCs, the transaction, value checks, paired links and the event log."""
