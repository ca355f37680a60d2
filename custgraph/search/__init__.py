"""Keyword search, the pure part: blocking keys (keys.py) and the rapidfuzz scorer (scorer.py).

Imports the standard library, rapidfuzz and the standardizers only; graph/repositories/search_index.py
stores and looks up the keys, resolvers/search.py ranks the candidates.
"""
