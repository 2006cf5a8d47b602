"""Analyses across documents: matching items, diff of two versions, compare towns, the dataset."""
