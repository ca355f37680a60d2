"""The pure-Python matching engine: rules, comparisons, blocking, Fellegi-Sunter scoring, EM
training, best-match clustering, survivorship and explanations. No database, no web framework.

Entry points: ``load_rules``, ``train``, ``resolve``, ``blocking_keys``, ``golden_record``,
``explain``. See docs/matching-rules.md.
"""
