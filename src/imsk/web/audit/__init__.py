"""audit: the append-only trail of who did what to which record, and when."""
