"""Steward use cases over resolved customers: review decisions, merges and splits, explanations
and the data-quality report.

Plain async functions orchestrating graph/ (all the Cypher) and matching/ (pure scoring and
survivorship); GraphQL resolvers and CLI commands parse their input, call one of these and map
``ResolutionError`` to a response.
"""
