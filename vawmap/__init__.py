"""vawmap: stakeholder mapping and gap assessment for coordinated responses to violence against women."""

__version__ = "0.1.0"
