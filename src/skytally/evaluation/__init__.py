"""Accuracy of skytally against annotated articles."""
