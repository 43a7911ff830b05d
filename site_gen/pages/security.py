"""The security policy every page carries: a strict CSP and a referrer policy.

Pages get them as <meta> tags; hosts that read a `_headers` file (Netlify, Cloudflare Pages)
also get them as real HTTP headers, with the directives only a header can carry.
"""

from __future__ import annotations

# Scripts (the search's included) run no WebAssembly, eval() or worker: 'self' is all they need.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    )
)
REFERRER_POLICY = "strict-origin-when-cross-origin"


def headers_file() -> bytes:
    """The `_headers` file: the same policy, plus what only an HTTP header can say."""
    lines = [
        "/*",
        f"  Content-Security-Policy: {CONTENT_SECURITY_POLICY}; frame-ancestors 'none'",
        f"  Referrer-Policy: {REFERRER_POLICY}",
        "  X-Content-Type-Options: nosniff",
        "  X-Frame-Options: DENY",
        "  Permissions-Policy: camera=(), microphone=(), geolocation=()",
        "",
    ]
    return "\n".join(lines).encode("ascii")
