"""The HTTP API (/api/v1): another entry point beside bot/, calling rituals/ and never bot/.
Plain pydantic models and a small WSGI router rather than FastAPI: see the README's
"The HTTP API"."""
