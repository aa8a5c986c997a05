"""somatosim: an open, validated simulator of the human GH/IGF-1 axis.

For research and teaching only; not a medical device and not medical advice.
"""

__version__ = "0.1.0"
