"""Test data builders shared by the test packages: import them as tests.factories.<name>."""
