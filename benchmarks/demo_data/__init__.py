"""Synthetic customer data with ground truth, for the benchmarks, the tests and the sample files.

It lives with the benchmarks, outside the runtime package: the service ships only the files it wrote.
``python -m benchmarks.demo_data.build`` rewrites the shipped demo data set (custgraph/data/demo/, from
``story.py``: one duplicate story, written by hand) and the samples in examples/ (generated, fixed seed).
"""
