"""Publishing the built site: the nginx configuration and its foreground runner (python -m deploy.nginx)."""
