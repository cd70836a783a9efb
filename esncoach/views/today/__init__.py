"""The CM's day: the Today window, desktop reminders and what starts them with the main window."""
