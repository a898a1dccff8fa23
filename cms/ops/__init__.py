"""Operations: what a server needs besides the content (issue 12).

Health endpoints for load balancers and monitoring, one JSON log line per
request, a Redis cache that fails open, media storage and serving that never
exposes a private document. No content or feature app is imported here.
"""
