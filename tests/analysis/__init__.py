"""Analyses across documents: matching, diff, compare, dataset."""
