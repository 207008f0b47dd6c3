"""Chinese bulletin information extraction: raw bulletins in, validated typed records out."""

__version__ = "0.1.0"
