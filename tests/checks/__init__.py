"""Checks: findings, departments, and their cost at scale."""
