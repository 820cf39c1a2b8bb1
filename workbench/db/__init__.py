"""Storage: models, engine and session scope, Alembic migrations."""
