"""Reading and writing files: code lists, triage rule sets, the MSK service data set.

This ring sits between the pure core and the applications: it may touch the file system and use
pyarrow, but never Django. Core parses text and values; this package finds and reads the files.
"""
