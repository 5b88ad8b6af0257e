"""The portal: receives what agents ship over XMPP, stores it once, triages alerts, predicts
consumables, sends e-mail and reports.

receiver (the slixmpp edge) -> intake (one batch into the store, triage, consumables) -> store
(every SQL statement of the portal, so it can move to another database) ; dispatcher sends what
rules route (mailer, webhook, file drop) ; reports and chart read the store.
"""
