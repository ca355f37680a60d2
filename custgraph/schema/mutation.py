"""The root Mutation, composed from per-feature mutation classes."""

from __future__ import annotations

import strawberry

from custgraph.schema.customer_mutations import CustomerMutation
from custgraph.schema.ingest import IngestMutation
from custgraph.schema.review import ReviewMutation
from custgraph.schema.saved_search import SavedSearchMutation
from custgraph.schema.unmatched import UnmatchedMutation


@strawberry.type
class Mutation(CustomerMutation, SavedSearchMutation, ReviewMutation, UnmatchedMutation, IngestMutation):
    pass
