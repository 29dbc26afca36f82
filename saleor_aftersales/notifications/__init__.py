"""Proactive messages: rules decide, email/channels render and deliver."""
