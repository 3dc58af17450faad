/*
 * static.h - the built frontend, served from memory over a fixed list.
 *
 * At start-up static_load reads frontend_dir/manifest.txt (one relative
 * path a line, written by the frontend build) and loads exactly those
 * files, and beside each its precompressed variants name.br and name.gz
 * when the build made them. Nothing outside the list is ever opened at
 * request time: there is no document root and no directory listing.
 *
 * Every file has a strong entity tag per variant, computed once at load
 * (a hash of the file, a suffix per content coding). Files under /assets/
 * carry a content hash in their names (the build sees to it) and are
 * cached for a year as immutable; the pages and the other files at the
 * top are revalidated on every use (no-cache) and answered with 304 when
 * If-None-Match names their tag.
 */
#ifndef MELDPUNT_STATIC_H
#define MELDPUNT_STATIC_H

struct http_request;

/* static_load: returns the number of files loaded, or -1 on error. */
int	static_load(const char *frontend_dir);
void	static_free(void);

/*
 * static_check: for the check mode, every problem with the frontend of
 * dir, each logged: manifest.txt must exist and list at least one file,
 * and every file it lists must be a path and type the desk serves and a
 * regular readable file within the size limit (as must the .br and .gz
 * beside it, where they exist). Returns the number of problems (0: good).
 */
int	static_check(const char *frontend_dir);

/* static_serve: send the file for path (GET or HEAD), or 404. 0 or -1. */
int	static_serve(struct http_request *req, const char *path);

/* static_content_type: the type for a file name, NULL if not allowed. */
const char *static_content_type(const char *name);

/* The content codings a file can be sent in; identity is always there. */
enum static_coding {
	STATIC_IDENTITY = 0,
	STATIC_GZIP,
	STATIC_BR,
	STATIC_CODINGS
};
#define STATIC_HAVE(c)	(1U << (c))

/*
 * static_choose_coding: the coding to send, given the request's
 * Accept-Encoding value (NULL when absent) and the codings at hand (a mask
 * of STATIC_HAVE bits; identity is always at hand). RFC 9110 12.5.3:
 * weights are q-values, "*" stands for every coding not named, "x-gzip"
 * is gzip, q=0 refuses; identity is acceptable unless refused, and when
 * not named (nor "*") it comes last, as q=0.001. The highest weight wins,
 * a tie goes to the smaller (br, then gzip, then identity);
 * when nothing at hand is acceptable, identity. A malformed element is
 * ignored. Pure.
 */
enum static_coding static_choose_coding(const char *accept, unsigned int have);

/*
 * static_etag_matches: 1 when an If-None-Match value is "*" or lists a tag
 * equal to etag by the weak comparison (RFC 9110 13.1.2: W/ prefixes
 * ignored, opaque tags compared octet by octet), else 0 (also for a
 * malformed value). Pure.
 */
int	static_etag_matches(const char *if_none_match, const char *etag);

#endif
