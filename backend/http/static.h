/*
 * static.h - the built frontend, served from memory over a fixed list.
 *
 * At start-up static_load reads frontend_dir/manifest.txt (one relative
 * path a line, written by the frontend build) and loads exactly those
 * files. Nothing outside the list is ever opened at request time: there is
 * no document root and no directory listing.
 */
#ifndef MELDPUNT_STATIC_H
#define MELDPUNT_STATIC_H

struct http_request;

/* static_load: returns the number of files loaded, or -1 on error. */
int	static_load(const char *frontend_dir);
void	static_free(void);

/* static_serve: send the file for path, or 404. Returns 0 or -1. */
int	static_serve(struct http_request *req, const char *path);

/* static_content_type: the type for a file name, NULL if not allowed. */
const char *static_content_type(const char *name);

#endif
