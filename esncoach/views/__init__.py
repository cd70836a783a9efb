"""Qt widgets: they present what the core returns and forward what the user does; no rules live here."""
