"""portal: readiness questionnaire, counselor directory and session-prep sheet."""

__version__ = "0.1.0"
