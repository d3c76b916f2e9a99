"""summarize(): summary types and grouping types."""
