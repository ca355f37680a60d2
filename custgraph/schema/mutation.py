"""The root Mutation, composed from per-feature mutation classes."""

from __future__ import annotations

import strawberry

from custgraph.schema.classification import ClassificationMutation
from custgraph.schema.customer_mutations import CustomerMutation
from custgraph.schema.ingest import IngestMutation
from custgraph.schema.review import ReviewMutation
from custgraph.schema.saved_search import SavedSearchMutation
from custgraph.schema.segment import SegmentMutation
from custgraph.schema.unmatched import UnmatchedMutation


@strawberry.type
class Mutation(
    CustomerMutation,
    SavedSearchMutation,
    SegmentMutation,
    ClassificationMutation,
    ReviewMutation,
    UnmatchedMutation,
    IngestMutation,
):
    pass
