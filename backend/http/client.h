/*
 * client.h - the client address for per-client counters (SPEC 4).
 */
#ifndef MELDPUNT_CLIENT_H
#define MELDPUNT_CLIENT_H

#include <stddef.h>

struct http_request;

/*
 * client_address: the client address for per-client counters: the TCP
 * peer, unless it is a trusted proxy; then the last X-Forwarded-For hop.
 * Copied into out (outsz bytes); 0, or -1. The caller wipes it after use.
 */
int	client_address(struct http_request *req, char *out, size_t outsz);

#endif
