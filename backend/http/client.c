/*
 * client.c - who the client is, for per-client counters: the TCP peer, or
 * the last X-Forwarded-For hop when the peer is a trusted proxy (SPEC 4).
 * The address is used for keyed hashes only, never kept or logged.
 */
#include <stdio.h>
#include <string.h>

#include <civetweb.h>

#include "client.h"
#include "config.h"
#include "gate.h"
#include "http.h"

int
client_address(struct http_request *req, char *out, size_t outsz)
{
	const struct mg_request_info	*ri = mg_get_request_info(req->conn);
	const char			*xff, *hop;
	size_t				 n;
	int				 w;

	if (ri == NULL)
		return -1;
	if (gate_proxy_trusted(&req->cfg->trusted_proxies, ri->remote_addr) &&
	    (xff = mg_get_header(req->conn, "X-Forwarded-For")) != NULL) {
		hop = strrchr(xff, ',');
		hop = hop != NULL ? hop + 1 : xff;
		while (*hop == ' ')
			hop++;
		n = strlen(hop);
		while (n > 0 && hop[n - 1] == ' ')
			n--;
		if (n > 0 && n < outsz) {
			memcpy(out, hop, n);
			out[n] = '\0';
			return 0;
		}
	}
	w = snprintf(out, outsz, "%s", ri->remote_addr);
	return w < 0 || (size_t)w >= outsz ? -1 : 0;
}
