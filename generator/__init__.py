"""科级后备干部名册: a registry of reserve cadres kept as YAML files in git."""

__version__ = "0.1.0"
