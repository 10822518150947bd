"""Networking Workbook: map your communities, plan gives, log them, see progress, reflect."""

__version__ = "0.1.0"
