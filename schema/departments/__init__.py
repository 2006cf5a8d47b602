"""Department names: vocabulary, one name taken apart, when two names are one department, the registry."""
