"""Plain functions the views and the CLI call; they receive what they use."""
