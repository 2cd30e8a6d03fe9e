"""The package version and the major version of the Coffre HTTP API this client speaks."""

__version__ = "1.0.0"
API_MAJOR = 1
