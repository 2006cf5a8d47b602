"""The command line, batch runs, executors, the output folder's safety, and the web page."""
