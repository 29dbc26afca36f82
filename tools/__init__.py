"""Developer tools: the running demo for browser checks, Lighthouse and screenshots."""
