"""NSX / vCNS plugin (skeleton: parsers, schemas and the nsx knowledge pack are added here)."""
