"""The SQLite store and its write transactions, numbered migrations, the revision log, what changed."""
