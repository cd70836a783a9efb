"""The Qt-free core: every rule of the product, called by views, the CLI and tests alike.

Services take the Workspace and keyword-only arguments, own their transaction, and return plain
dataclasses so no ORM object (or lazy load) ever crosses into a view.
"""
