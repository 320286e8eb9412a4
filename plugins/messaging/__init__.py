"""Messaging clients plugin (skeleton: Transporter, Outlook, Kerberos SPNs, certificates, Edge)."""
