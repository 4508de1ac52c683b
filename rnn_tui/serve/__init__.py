"""Classroom serving: the app over SSH (one process per student) and in a browser."""
