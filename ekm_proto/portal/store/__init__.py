"""The portal's storage: every SQL statement the portal runs lives in this package.

SQLAlchemy Core on SQLite (the default; a file path) or PostgreSQL (``postgresql://...``), one
schema for both kept by the Alembic migrations in ``migrations/``; a store brings its database
to the newest revision when it opens it.
"""

from ekm_proto.portal.store.database import PortalStore
from ekm_proto.portal.store.engine import database_url, head_revision

__all__ = ["PortalStore", "database_url", "head_revision"]
