"""Security regression tests (issue 16): each attack is a test that fails
on the code before the fix."""
