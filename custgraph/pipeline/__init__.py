"""Import-and-resolve: the one use case that joins ingest/, matching/ and graph/.

Every way records enter the graph goes through here, alike: ``custgraph import`` (the CLI and the
demo loader), the ``ingestRecords`` and ``createCustomer`` mutations and the benchmarks call
``run.run_import`` or ``run.ingest_posted``; steward actions refresh golden profiles and search keys
through ``profiles``.

- ``run``: one import run, streamed in batches: read (ingest/), store, resolve, report;
- ``training``: the matching model, estimated from a bounded sample of the records already read;
- ``resolve``: a batch of stored records placed under golden customers (matching/ decides, graph/ stores);
- ``profiles``: golden profiles and search keys of the customers a batch touched;
- ``golden``: the pure part of a golden profile (survivorship plus sums and edges of orders and visits).

ingest/ only reads, maps and validates; the Cypher is in graph/.
"""
