"""Class mode, shared by the hub (in the server) and the link (in each app process).

Imports neither textual nor asyncssh nor numpy: an app process pays nothing for it
until class mode is on, and the hub's tests need no terminal.
"""
