"""The site schema and the schema RPCs."""
