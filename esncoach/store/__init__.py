"""The encrypted SQLite store: keys, opening, schema migrations and the Workspace handle."""
