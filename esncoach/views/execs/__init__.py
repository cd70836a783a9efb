"""Executives: the list, the exec page and its tabs, the people around an exec, the timeline."""
