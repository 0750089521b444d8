"""The endpoint definitions, one module per area of the WeChat API (SPEC §8)."""
