"""Read-only query services of the workspace: filters, counts and breakdowns.

They take a session and a user, never a request: a choice the user may not make raises
`participatie.accounts.Forbidden`, which the workspace views answer with 403.
"""
