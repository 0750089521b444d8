"""The default page of a request that fails the signature check (403)."""

from __future__ import annotations

from html import escape

__all__ = ["default_error_page"]


def default_error_page(url: str) -> str:
    """The HTML of the default signature error page for ``url`` (HTML-escaped)."""
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Error</title></head><body>"
        "<h1>Signature verification failed</h1>"
        f"<p>{escape(url)} is a WeChat webhook: it only answers requests signed by WeChat.</p>"
        "</body></html>"
    )
