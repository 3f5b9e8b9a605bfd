"""Access: API keys, web-page sessions and request rate limits."""
