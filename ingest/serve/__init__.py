"""``duty-lists serve``: a page in the browser for staff who will not use a terminal.

settings.py (one validated settings object), uploads.py (request size limit,
safe stored names, zip members), work.py (what a worker process does with one
upload), jobs.py (uploads in their own folders, a worker pool, expiry),
app.py (the Starlette routes and Jinja2 pages in templates/).
"""
