/*
 * gate.h - which connections CivetWeb may read from, and a stop that lets
 * requests finish.
 *
 * CivetWeb gives every accepted connection a worker thread until it
 * closes, and a worker waits up to the head timeout for a request head: a
 * client that opens many connections and sends slowly would hold every
 * worker. The gate admits a connection before any worker sees it, and only
 * while its client has fewer than client_connections open (trusted proxies
 * excepted), fewer than connections are open in all, and the daemon is not
 * stopping. A refused connection is answered at once (429 for its client's
 * cap, 503 otherwise), and closed after a bounded lingering read, so that
 * its client reads the answer rather than a reset.
 *
 * Clients are counted under a keyed hash of the address string, with a key
 * made at random when the gate starts and never written anywhere; no
 * address is kept (SPEC section 2).
 */
#ifndef MELDPUNT_GATE_H
#define MELDPUNT_GATE_H

struct config;
struct config_addrs;
struct mg_connection;

#define GATE_LINGER_MS		2000	/* a refused connection's last read */
#define GATE_LINGER_MAX		512	/* refused connections lingering */
#define GATE_RETRY_CAP		1	/* Retry-After of a cap refusal */
#define GATE_RETRY_STOP		5	/* Retry-After while stopping */

/*
 * gate_start: begin admitting by cfg's caps (cfg must outlive the gate)
 * and start the thread that closes refused connections. Before it, and
 * after gate_stop, every connection is admitted. 0, or -1 after logging.
 */
int	gate_start(const struct config *cfg);

/* gate_stop: close what lingers and stop the thread. */
void	gate_stop(void);

/*
 * gate_connection_closed: CivetWeb's connection_closed callback; counts
 * an admitted connection out.
 */
void	gate_connection_closed(const struct mg_connection *conn);

/*
 * gate_drain: from now on refuse new connections with 503 and answer new
 * requests on open ones with 503 (http_dispatch asks gate_draining).
 */
void	gate_drain(void);
int	gate_draining(void);

/* gate_open: connections admitted and not yet closed. */
int	gate_open(void);

/* gate_quiet_ms: milliseconds since a connection last came in. */
long long gate_quiet_ms(void);

/*
 * gate_proxy_trusted: 1 if addr (a numeric address as CivetWeb writes it)
 * is one of the trusted proxies (the setting, parsed at load), else 0.
 * An IPv4 peer matches its IPv4-mapped IPv6 spelling and back.
 */
int	gate_proxy_trusted(const struct config_addrs *trusted,
	    const char *addr);

#endif
