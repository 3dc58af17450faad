/*
 * static.c - in-memory copies of the frontend files named in the manifest.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "log.h"
#include "static.h"

#define STATIC_MAX_FILES	4096
#define STATIC_MAX_BYTES	(64L << 20)

struct static_file {
	char		*url;	/* "/index.html" */
	const char	*type;
	char		*data;
	size_t		 len;
};

static struct static_file	*static_files;
static size_t			 static_count;

static const struct {
	const char	*ext;
	const char	*type;
} static_types[] = {
	{ ".html", "text/html; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".mjs", "text/javascript; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },
	{ ".json", "application/json; charset=utf-8" },
	{ ".wasm", "application/wasm" },
	{ ".woff2", "font/woff2" },
	{ ".woff", "font/woff" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".ico", "image/x-icon" },
	{ ".txt", "text/plain; charset=utf-8" },
};

const char *
static_content_type(const char *name)
{
	size_t	 i, n = strlen(name), e;

	for (i = 0; i < sizeof(static_types) / sizeof(static_types[0]); i++) {
		e = strlen(static_types[i].ext);
		if (n > e && strcmp(name + n - e, static_types[i].ext) == 0)
			return static_types[i].type;
	}
	return NULL;
}

static int
static_read_file(const char *path, char **data, size_t *len)
{
	FILE	*fp;
	long	 size;
	int	 rc = -1;

	*data = NULL;
	if ((fp = fopen(path, "rb")) == NULL)
		return -1;
	if (fseek(fp, 0, SEEK_END) != 0 || (size = ftell(fp)) < 0 ||
	    size > STATIC_MAX_BYTES || fseek(fp, 0, SEEK_SET) != 0)
		goto out;
	if ((*data = malloc((size_t)size + 1)) == NULL)
		goto out;
	if (fread(*data, 1, (size_t)size, fp) != (size_t)size) {
		free(*data);
		*data = NULL;
		goto out;
	}
	*len = (size_t)size;
	rc = 0;
out:
	fclose(fp);
	return rc;
}

static int
static_add(const char *dir, const char *rel)
{
	struct static_file	*f;
	char			 path[4096], url[1024];
	int			 n;

	n = snprintf(url, sizeof(url), "/%s", rel);
	if (n < 0 || (size_t)n >= sizeof(url) || !http_path_valid(url, (size_t)n))
		return -1;
	n = snprintf(path, sizeof(path), "%s/%s", dir, rel);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -1;
	if (static_count == STATIC_MAX_FILES)
		return -1;
	f = &static_files[static_count];
	if ((f->type = static_content_type(rel)) == NULL) {
		log_warnx("%s: file type not served: %s", __func__, rel);
		return -1;
	}
	if (static_read_file(path, &f->data, &f->len) == -1) {
		log_warnx("%s: cannot read %s", __func__, path);
		return -1;
	}
	if ((f->url = strdup(url)) == NULL) {
		free(f->data);
		return -1;
	}
	static_count++;
	return 0;
}

int
static_load(const char *dir)
{
	FILE	*fp;
	char	 path[4096], line[1024], *nl;
	int	 n;

	static_free();
	n = snprintf(path, sizeof(path), "%s/manifest.txt", dir);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -1;
	if ((fp = fopen(path, "r")) == NULL) {
		log_warnx("%s: no frontend manifest; serving the API only",
		    __func__);
		return 0;
	}
	if ((static_files = calloc(STATIC_MAX_FILES, sizeof(*static_files)))
	    == NULL) {
		fclose(fp);
		return -1;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		if ((nl = strchr(line, '\n')) != NULL)
			*nl = '\0';
		if (line[0] == '\0')
			continue;
		if (static_add(dir, line) == -1) {
			fclose(fp);
			static_free();
			return -1;
		}
	}
	fclose(fp);
	return (int)static_count;
}

void
static_free(void)
{
	size_t i;

	for (i = 0; i < static_count; i++) {
		free(static_files[i].url);
		free(static_files[i].data);
	}
	free(static_files);
	static_files = NULL;
	static_count = 0;
}

int
static_serve(struct http_request *req, const char *path)
{
	static const struct http_header cache[] = {
		{ "Cache-Control", "no-cache" },
		{ NULL, NULL }
	};
	size_t	 i;

	if (strcmp(path, "/") == 0)
		path = "/index.html";
	for (i = 0; i < static_count; i++)
		if (strcmp(static_files[i].url, path) == 0)
			return http_respond(req, 200, static_files[i].type,
			    cache, static_files[i].data, static_files[i].len);
	return http_send_error(req, 404, "not_found", NULL);
}
