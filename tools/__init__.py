"""Importers that turn raw open datasets into files under data/ (run from a source checkout)."""
