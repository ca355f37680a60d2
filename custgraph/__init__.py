"""customer-graph: scattered customer records resolved into one graph of golden customers."""

__version__ = "0.1.0"
