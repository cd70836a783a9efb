"""pyqtgraph charts: an exec's progress page, the portfolio dashboard and their PNG/SVG/report exports.

Nothing imported from this package's ``__init__`` pulls in pyqtgraph: the modules that draw import it
when a chart is first built, so the app starts fast.
"""
