"""After the build: the nginx configuration that puts each site behind its login, a local preview, and the site audit."""
