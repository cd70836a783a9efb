"""Full-screen coaching mode: one exec, large calm pages, capture straight into the session record."""
