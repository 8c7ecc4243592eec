"""Who is signed in: the sign-in form and session cookie, single sign-on, the cookie routes.

Passwords, sessions and roles are kept by ``dashboard.store``; this package is the web side of them.
"""
