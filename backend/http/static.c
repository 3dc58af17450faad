/*
 * static.c - in-memory copies of the frontend files named in the manifest.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <civetweb.h>
#include <sodium.h>

#include "http.h"
#include "log.h"
#include "static.h"

#define STATIC_MAX_FILES	4096
#define STATIC_MAX_BYTES	(64L << 20)

/* A tag: '"', 24 hex digits, "-br", '"', NUL, with room. */
#define STATIC_TAG_HASH		12	/* bytes of SHA-256 in a tag */
#define STATIC_ETAG_SIZE	40

struct static_variant {
	char		*data;	/* NULL: not at hand */
	size_t		 len;
	char		 etag[STATIC_ETAG_SIZE];
};

struct static_file {
	char			*url;	/* "/index.html" */
	const char		*type;
	const char		*cache;	/* Cache-Control */
	unsigned int		 have;	/* STATIC_HAVE bits of the variants */
	struct static_variant	 v[STATIC_CODINGS];
};

static struct static_file	*static_files;
static size_t			 static_count;

/* The name suffix and Content-Encoding of each coding. */
static const struct {
	const char	*suffix;
	const char	*name;
	const char	*tag;
} static_codings[STATIC_CODINGS] = {
	[STATIC_IDENTITY] = { "", NULL, "" },
	[STATIC_GZIP] = { ".gz", "gzip", "-gz" },
	[STATIC_BR] = { ".br", "br", "-br" },
};

#define STATIC_IMMUTABLE	"public, max-age=31536000, immutable"
#define STATIC_REVALIDATE	"no-cache"
#define STATIC_QMAX		1000	/* q=1 in thousandths */
#define STATIC_QMIN		1	/* identity not named: the last resort */

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
	const char	*base;
	size_t		 i, n = strlen(name), e;

	/* The checksums of the build (sha256sum's format). */
	base = strrchr(name, '/');
	base = base != NULL ? base + 1 : name;
	if (strcmp(base, "SHA256SUMS") == 0)
		return "text/plain; charset=utf-8";
	for (i = 0; i < sizeof(static_types) / sizeof(static_types[0]); i++) {
		e = strlen(static_types[i].ext);
		if (n > e && strcmp(name + n - e, static_types[i].ext) == 0)
			return static_types[i].type;
	}
	return NULL;
}

/*
 * Read path into *data (malloc'ed), *len. 0, or -1 on error; with
 * optional set, 1 when the file does not exist.
 */
static int
static_read_file(const char *path, int optional, char **data, size_t *len)
{
	FILE	*fp;
	long	 size;
	int	 rc = -1;

	*data = NULL;
	*len = 0;
	if ((fp = fopen(path, "rb")) == NULL)
		return optional && errno == ENOENT ? 1 : -1;
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
	if (fclose(fp) != 0 && rc == 0) {
		free(*data);
		*data = NULL;
		rc = -1;
	}
	return rc;
}

static void
static_file_free(struct static_file *f)
{
	size_t c;

	free(f->url);
	for (c = 0; c < STATIC_CODINGS; c++)
		free(f->v[c].data);
	memset(f, 0, sizeof(*f));
}

/*
 * The entity tags of f: a hash of the file itself, with a suffix per
 * coding (a strong tag belongs to one representation, RFC 9110 8.8.3).
 */
static int
static_tags(struct static_file *f)
{
	unsigned char	 hash[crypto_hash_sha256_BYTES];
	char		 hex[STATIC_TAG_HASH * 2 + 1];
	size_t		 c;
	int		 n;

	if (crypto_hash_sha256(hash, (const unsigned char *)f->v[0].data,
	    f->v[0].len) != 0)
		return -1;
	sodium_bin2hex(hex, sizeof(hex), hash, STATIC_TAG_HASH);
	for (c = 0; c < STATIC_CODINGS; c++) {
		if (f->v[c].data == NULL)
			continue;
		n = snprintf(f->v[c].etag, sizeof(f->v[c].etag), "\"%s%s\"",
		    hex, static_codings[c].tag);
		if (n < 0 || (size_t)n >= sizeof(f->v[c].etag))
			return -1;
	}
	return 0;
}

static int
static_add(const char *dir, const char *rel)
{
	struct static_file	*f;
	char			 path[4096], url[1024];
	size_t			 c;
	int			 n, rc;

	n = snprintf(url, sizeof(url), "/%s", rel);
	if (n < 0 || (size_t)n >= sizeof(url) || !http_path_valid(url, (size_t)n))
		return -1;
	if (static_count == STATIC_MAX_FILES)
		return -1;
	f = &static_files[static_count];
	if ((f->type = static_content_type(rel)) == NULL) {
		log_warnx("%s: file type not served: %s", __func__, rel);
		return -1;
	}
	/* Hashed names under /assets/ never change; their licence notes may. */
	n = (int)strlen(url);
	f->cache = strncmp(url, "/assets/", 8) == 0 &&
	    !(n > 4 && strcmp(url + n - 4, ".txt") == 0) ?
	    STATIC_IMMUTABLE : STATIC_REVALIDATE;
	for (c = 0; c < STATIC_CODINGS; c++) {
		n = snprintf(path, sizeof(path), "%s/%s%s", dir, rel,
		    static_codings[c].suffix);
		if (n < 0 || (size_t)n >= sizeof(path)) {
			static_file_free(f);
			return -1;
		}
		rc = static_read_file(path, c != STATIC_IDENTITY,
		    &f->v[c].data, &f->v[c].len);
		if (rc == -1) {
			log_warnx("%s: cannot read %s", __func__, path);
			static_file_free(f);
			return -1;
		}
		if (rc == 0 && c != STATIC_IDENTITY)
			f->have |= STATIC_HAVE(c);
	}
	if (static_tags(f) == -1 || (f->url = strdup(url)) == NULL) {
		static_file_free(f);
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
	if (ferror(fp)) {
		fclose(fp);
		static_free();
		return -1;
	}
	fclose(fp);
	return (int)static_count;
}

/*
 * One line of the manifest, for the check mode: a valid path, a type we
 * serve, a regular readable file of at most STATIC_MAX_BYTES (and its
 * precompressed variants, where they exist, too). Problems.
 */
static int
static_check_entry(const char *dir, const char *rel, int lineno)
{
	struct stat	 st;
	char		 path[4096], url[1024];
	size_t		 c;
	int		 n, problems = 0;

	n = snprintf(url, sizeof(url), "/%s", rel);
	if (n < 0 || (size_t)n >= sizeof(url) ||
	    !http_path_valid(url, (size_t)n)) {
		log_warnx("%s: manifest line %d: not a path the desk serves",
		    __func__, lineno);
		return 1;
	}
	if (static_content_type(rel) == NULL) {
		log_warnx("%s: manifest line %d: file type not served: %s",
		    __func__, lineno, rel);
		problems++;
	}
	for (c = 0; c < STATIC_CODINGS; c++) {
		n = snprintf(path, sizeof(path), "%s/%s%s", dir, rel,
		    static_codings[c].suffix);
		if (n < 0 || (size_t)n >= sizeof(path))
			return problems + 1;
		if (stat(path, &st) == -1) {
			if (c != STATIC_IDENTITY && errno == ENOENT)
				continue;	/* a variant is optional */
			st.st_mode = 0;
		}
		if (!S_ISREG(st.st_mode) || access(path, R_OK) == -1 ||
		    st.st_size > STATIC_MAX_BYTES) {
			log_warnx("%s: manifest line %d: %s is missing, not a "
			    "readable file, or too large", __func__, lineno,
			    path);
			problems++;
		}
	}
	return problems;
}

int
static_check(const char *dir)
{
	FILE	*fp;
	char	 path[4096], line[1024], *nl;
	int	 n, lineno = 0, files = 0, problems = 0;

	n = snprintf(path, sizeof(path), "%s/manifest.txt", dir);
	if (n < 0 || (size_t)n >= sizeof(path) ||
	    (fp = fopen(path, "r")) == NULL) {
		log_warnx("%s: no frontend manifest %s/manifest.txt", __func__,
		    dir);
		return 1;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		lineno++;
		if ((nl = strchr(line, '\n')) != NULL)
			*nl = '\0';
		else if (!feof(fp)) {
			log_warnx("%s: manifest line %d is too long", __func__,
			    lineno);
			fclose(fp);
			return problems + 1;
		}
		if (line[0] == '\0')
			continue;
		if (++files > STATIC_MAX_FILES) {
			log_warnx("%s: more than %d files in the manifest",
			    __func__, STATIC_MAX_FILES);
			fclose(fp);
			return problems + 1;
		}
		problems += static_check_entry(dir, line, lineno);
	}
	if (ferror(fp)) {
		log_warnx("%s: cannot read %s", __func__, path);
		problems++;
	}
	fclose(fp);
	if (files == 0) {
		log_warnx("%s: the frontend manifest lists no file", __func__);
		problems++;
	}
	return problems;
}

void
static_free(void)
{
	size_t i;

	for (i = 0; i < static_count; i++)
		static_file_free(&static_files[i]);
	free(static_files);
	static_files = NULL;
	static_count = 0;
}

static const char *
static_ows(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* RFC 9110 5.6.2 tchar. */
static int
static_tchar(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z') || (c != '\0' && strchr("!#$%&'*+-.^_`|~",
	    c) != NULL);
}

/*
 * qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), RFC 9110
 * 12.4.2: the weight in thousandths, or -1; *pp moves past it.
 */
static int
static_qvalue(const char **pp)
{
	const char	*p = *pp;
	int		 q, scale, digits;

	if (*p != '0' && *p != '1')
		return -1;
	q = (*p++ - '0') * STATIC_QMAX;
	if (*p == '.') {
		p++;
		for (scale = STATIC_QMAX / 10, digits = 0;
		    digits < 3 && *p >= '0' && *p <= '9'; digits++, p++) {
			q += (*p - '0') * scale;
			scale /= 10;
		}
	}
	if (q > STATIC_QMAX || (*p >= '0' && *p <= '9'))
		return -1;
	*pp = p;
	return q;
}

/* The coding a token names: a static_coding, STATIC_CODINGS for "*", or -1. */
static int
static_coding_token(const char *tok, size_t len)
{
	if (len == 1 && tok[0] == '*')
		return STATIC_CODINGS;
	if ((len == 4 && strncasecmp(tok, "gzip", 4) == 0) ||
	    (len == 6 && strncasecmp(tok, "x-gzip", 6) == 0))
		return STATIC_GZIP;
	if (len == 2 && strncasecmp(tok, "br", 2) == 0)
		return STATIC_BR;
	if (len == 8 && strncasecmp(tok, "identity", 8) == 0)
		return STATIC_IDENTITY;
	return -1;
}

enum static_coding
static_choose_coding(const char *accept, unsigned int have)
{
	/* Weights of identity, gzip, br and "*"; -1: not named. */
	int			 w[STATIC_CODINGS + 1], q, which, ok, best_q;
	const char		*p, *tok;
	size_t			 len, c;
	enum static_coding	 best;

	if (accept == NULL)
		return STATIC_IDENTITY;
	for (c = 0; c <= STATIC_CODINGS; c++)
		w[c] = -1;
	p = accept;
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '\0')
			break;
		for (tok = p; static_tchar((unsigned char)*p); p++)
			;
		len = (size_t)(p - tok);
		ok = len > 0;
		q = STATIC_QMAX;
		p = static_ows(p);
		while (ok && *p == ';') {
			p = static_ows(p + 1);
			if ((*p != 'q' && *p != 'Q') || p[1] != '=') {
				ok = 0;
				break;
			}
			p += 2;
			if ((q = static_qvalue(&p)) < 0)
				ok = 0;
			p = static_ows(p);
		}
		if (*p != ',' && *p != '\0')
			ok = 0;
		if (ok && (which = static_coding_token(tok, len)) >= 0 &&
		    w[which] < 0)
			w[which] = q;
		while (*p != ',' && *p != '\0')
			p++;
	}
	best = STATIC_IDENTITY;
	best_q = 0;
	for (c = STATIC_CODINGS; c-- > 0; ) {
		if (c != STATIC_IDENTITY && (have & STATIC_HAVE(c)) == 0)
			continue;
		q = w[c] >= 0 ? w[c] : w[STATIC_CODINGS] >= 0 ?
		    w[STATIC_CODINGS] : c == STATIC_IDENTITY ? STATIC_QMIN : 0;
		if (q > best_q) {
			best = (enum static_coding)c;
			best_q = q;
		}
	}
	return best;
}

/* The opaque part of an entity tag at p (after W/): its length, or 0. */
static size_t
static_opaque_tag(const char *p)
{
	const unsigned char	*s = (const unsigned char *)p;
	size_t			 i;

	if (s[0] != '"')
		return 0;
	/* etagc = %x21 / %x23-7E / obs-text */
	for (i = 1; s[i] == 0x21 || (s[i] >= 0x23 && s[i] != 0x7f); i++)
		;
	return s[i] == '"' ? i + 1 : 0;
}

int
static_etag_matches(const char *inm, const char *etag)
{
	const char	*p;
	size_t		 len, mine;

	if (inm == NULL || etag == NULL)
		return 0;
	if (strncmp(etag, "W/", 2) == 0)
		etag += 2;
	if ((mine = static_opaque_tag(etag)) == 0 || etag[mine] != '\0')
		return 0;
	p = static_ows(inm);
	if (*p == '*' && *static_ows(p + 1) == '\0')
		return 1;
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '\0')
			return 0;
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		if ((len = static_opaque_tag(p)) == 0)
			return 0;
		if (len == mine && memcmp(p, etag, len) == 0)
			return 1;
		p = static_ows(p + len);
		if (*p != ',' && *p != '\0')
			return 0;
	}
}

int
static_serve(struct http_request *req, const char *path)
{
	struct http_header	 h[5];
	struct static_file	*f = NULL;
	struct static_variant	*v;
	enum static_coding	 c;
	const char		*inm;
	size_t			 i, n = 0;

	if (strcmp(path, "/") == 0)
		path = "/index.html";
	for (i = 0; i < static_count; i++)
		if (strcmp(static_files[i].url, path) == 0) {
			f = &static_files[i];
			break;
		}
	if (f == NULL)
		return http_send_error(req, 404, "not_found", NULL);
	c = static_choose_coding(mg_get_header(req->conn, "Accept-Encoding"),
	    f->have);
	v = &f->v[c];
	h[n++] = (struct http_header){ "Cache-Control", f->cache };
	h[n++] = (struct http_header){ "ETag", v->etag };
	if (f->have != 0)
		h[n++] = (struct http_header){ "Vary", "Accept-Encoding" };
	/* RFC 9110 13.1.2: If-None-Match on GET and HEAD answers 304. */
	inm = mg_get_header(req->conn, "If-None-Match");
	if (inm != NULL && static_etag_matches(inm, v->etag)) {
		h[n] = (struct http_header){ NULL, NULL };
		return http_respond(req, 304, NULL, h, NULL, v->len);
	}
	if (static_codings[c].name != NULL)
		h[n++] = (struct http_header){ "Content-Encoding",
		    static_codings[c].name };
	h[n] = (struct http_header){ NULL, NULL };
	return http_respond(req, 200, f->type, h, v->data, v->len);
}
