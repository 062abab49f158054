"""After the build: the nginx configuration that puts each site behind its login, a preview, the site audit."""
