"""The adoption ladder and habits: the Habit tab, check-ins, stage moves, thresholds, needs attention."""
