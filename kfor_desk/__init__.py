"""KFOR Desk: the duty officer's registers of SAF exercise notifications and KSF consent
requests, with deconfliction and PDF briefs, working fully offline."""

__version__ = "0.1.0"
