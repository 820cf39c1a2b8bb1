"""Image cleanup for phone photos of archive pages: pure OpenCV/numpy, no Flask or SQLAlchemy."""
