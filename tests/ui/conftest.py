"""The pages' fixtures: each test gets its own seeded database and empty Streamlit caches."""

from tests.pages.conftest import app_db  # noqa: F401 (a fixture, found by its name)
