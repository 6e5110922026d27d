"""Most records are made through the services (see conftest.py) so tests
exercise the same rules as the desk."""
