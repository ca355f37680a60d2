"""The ASGI entry point for uvicorn: ``custgraph.service.asgi:app``."""

from custgraph.service.app import create_app

app = create_app()
