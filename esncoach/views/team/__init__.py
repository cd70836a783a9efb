"""Team workspaces in the GUI: connecting to a team server, live refresh, conflicts."""
