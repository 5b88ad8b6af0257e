"""The portal's web interface: server-rendered pages (aiohttp + Jinja2, no JavaScript) over the
portal store, behind operator log-in (scrypt-hashed passwords, sessions, CSRF tokens, roles).

app (routes, the guard middleware) -> fleet_pages / admin_pages (handlers) -> the store's
web_reads and operators modules (every SQL statement) ; server binds it (HTTPS, or plain HTTP on
loopback only).
"""
