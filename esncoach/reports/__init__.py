"""Typesetting reports to PDF with Qt: the content comes ready-made from ``esncoach.services.report_content``.

``pdf_writer`` paints pages (header, footer, page numbers), ``layout`` turns content blocks into
measured pieces that never split a table row or a chart across pages, ``charts`` fetches the app's own
charts, ``atomic`` saves the file safely and ``batch`` produces many reports with progress.
"""
