"""Engagement figures: the import wizard, manual entry and the impact panel."""
