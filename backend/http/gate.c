/*
 * gate.c - admission of connections before CivetWeb reads from them.
 *
 * CivetWeb 1.15 has no hook between accept() and handing the connection to
 * a worker, so the daemon defines accept() itself: the executable's symbol
 * comes first in the dynamic linker's search, and CivetWeb's master thread
 * (the only caller in the process) takes connections through it. It takes
 * the connection from the kernel and either returns it to CivetWeb or
 * answers and hands it to the linger thread, returning "try again".
 *
 * This file is built without _GNU_SOURCE so that accept() here has the
 * plain POSIX prototype of <sys/socket.h>.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <civetweb.h>
#include <sodium.h>

#include "buf.h"
#include "config.h"
#include "gate.h"
#include "http.h"
#include "log.h"

/* A client's key: the shortest keyed BLAKE2b of its address. */
#define GATE_KEY_BYTES		crypto_generichash_BYTES_MIN
#define GATE_HOST_SIZE		64	/* a numeric host, with scope */
#define GATE_LINGER_READS	16	/* of a refused client per turn */

struct gate_client {
	unsigned char	key[GATE_KEY_BYTES];
	int		open;		/* 0: the slot is free */
};

struct gate_linger {
	int		fd;
	long long	deadline_ms;
};

static struct {
	pthread_mutex_t		 lock;
	atomic_int		 ready;
	atomic_int		 draining;
	int			 total;		/* admitted and open */
	int			 cap_total, cap_client;
	const struct config_addrs *trusted;
	unsigned char		 hash_key[crypto_generichash_KEYBYTES];
	struct gate_client	*clients;	/* cap_total slots */
	atomic_llong		 last_ms;	/* when a connection last came */
	int			 pipe[2];	/* refused fds to the lingerer */
	pthread_t		 thread;
} gate = { .lock = PTHREAD_MUTEX_INITIALIZER, .pipe = { -1, -1 } };

static long long
gate_now_ms(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		return 0;
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
gate_proxy_trusted(const struct config_addrs *trusted, const char *addr)
{
	struct config_addr a;

	if (trusted->n == 0 || config_addr_parse(addr, &a) == -1)
		return 0;
	return config_addrs_has(trusted, &a);
}

/* --- counting ------------------------------------------------------------ */

/*
 * The client's slot for addr (as CivetWeb writes it: getnameinfo with
 * NI_NUMERICHOST), or NULL for a trusted proxy or when clients are not
 * capped. With create, a free slot is taken for a new client (there are as
 * many slots as connections may be open, so one is always free while the
 * total is below its cap). Called with the lock held.
 */
static struct gate_client *
gate_client(const char *addr, int create)
{
	unsigned char	 key[GATE_KEY_BYTES];
	struct gate_client *free_slot = NULL;
	int		 i;

	if (gate.cap_client == 0 || gate_proxy_trusted(gate.trusted, addr))
		return NULL;
	crypto_generichash(key, sizeof(key), (const unsigned char *)addr,
	    strlen(addr), gate.hash_key, sizeof(gate.hash_key));
	for (i = 0; i < gate.cap_total; i++) {
		if (gate.clients[i].open == 0) {
			if (free_slot == NULL)
				free_slot = &gate.clients[i];
			continue;
		}
		if (sodium_memcmp(gate.clients[i].key, key, sizeof(key)) == 0)
			return &gate.clients[i];
	}
	if (create && free_slot != NULL)
		memcpy(free_slot->key, key, sizeof(key));
	return create ? free_slot : NULL;
}

/*
 * Count a new connection from addr in. 0 admitted; else the status to
 * refuse it with (429: its client's cap, 503: the total or a stop).
 */
static int
gate_admit(const char *addr)
{
	struct gate_client	*c;
	int			 status = 0;

	if (atomic_load(&gate.draining))
		return 503;
	if (pthread_mutex_lock(&gate.lock) != 0)
		return 503;
	if (gate.total >= gate.cap_total)
		status = 503;
	else if ((c = gate_client(addr, 1)) != NULL &&
	    c->open >= gate.cap_client)
		status = 429;
	else {
		if (c != NULL)
			c->open++;
		gate.total++;
	}
	pthread_mutex_unlock(&gate.lock);
	return status;
}

void
gate_connection_closed(const struct mg_connection *conn)
{
	const struct mg_request_info	*ri = mg_get_request_info(conn);
	struct gate_client		*c;

	if (!atomic_load(&gate.ready) || ri == NULL ||
	    pthread_mutex_lock(&gate.lock) != 0)
		return;
	if (gate.total > 0)
		gate.total--;
	if ((c = gate_client(ri->remote_addr, 0)) != NULL && c->open > 0)
		c->open--;
	pthread_mutex_unlock(&gate.lock);
}

int
gate_open(void)
{
	int n;

	if (pthread_mutex_lock(&gate.lock) != 0)
		return 0;
	n = gate.total;
	pthread_mutex_unlock(&gate.lock);
	return n;
}

long long
gate_quiet_ms(void)
{
	return gate_now_ms() - atomic_load(&gate.last_ms);
}

void
gate_drain(void)
{
	atomic_store(&gate.draining, 1);
}

int
gate_draining(void)
{
	return atomic_load(&gate.draining);
}

/* --- refusing ------------------------------------------------------------ */

/*
 * Answer fd at once, shut its write side, and leave it to the lingerer
 * (or close it now when the lingerer cannot take it).
 */
static void
gate_refuse(int fd, int status)
{
	struct buf	b = BUF_INIT;
	const char	*text;

	if (http_refusal(&b, status, status == 429 ? "rate_limited" :
	    "unavailable", gate_draining() ? GATE_RETRY_STOP : GATE_RETRY_CAP)
	    == 0 && (text = buf_cstr(&b)) != NULL)
		(void)send(fd, text, b.len, MSG_DONTWAIT | MSG_NOSIGNAL);
	buf_free(&b);
	(void)shutdown(fd, SHUT_WR);
	if (write(gate.pipe[1], &fd, sizeof(fd)) != (ssize_t)sizeof(fd))
		close(fd);
}

/* Read and drop what a refused client still sends; 1 once it is done. */
static int
gate_linger_read(int fd)
{
	char	sink[4096];
	ssize_t	n;
	int	i;

	for (i = 0; i < GATE_LINGER_READS; i++) {
		n = recv(fd, sink, sizeof(sink), MSG_DONTWAIT);
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
			return 1;
		if (n < 0)
			return 0;
	}
	return 0;
}

/* Take refused fds from the pipe; -1 in it means stop. 1 to stop. */
static int
gate_linger_take(struct gate_linger *l, int *n)
{
	int fd;

	while (read(gate.pipe[0], &fd, sizeof(fd)) == (ssize_t)sizeof(fd)) {
		if (fd == -1)
			return 1;
		if (*n == GATE_LINGER_MAX) {
			close(fd);
			continue;
		}
		l[*n].fd = fd;
		l[*n].deadline_ms = gate_now_ms() + GATE_LINGER_MS;
		(*n)++;
	}
	return 0;
}

static void *
gate_linger_run(void *arg)
{
	static struct gate_linger	 l[GATE_LINGER_MAX];
	static struct pollfd		 pfd[GATE_LINGER_MAX + 1];
	long long			 now;
	int				 n = 0, i, stop = 0;

	(void)arg;
	while (!stop) {
		pfd[0].fd = gate.pipe[0];
		pfd[0].events = POLLIN;
		for (i = 0; i < n; i++) {
			pfd[i + 1].fd = l[i].fd;
			pfd[i + 1].events = POLLIN;
			pfd[i + 1].revents = 0;
		}
		if (poll(pfd, (nfds_t)n + 1, 100) == -1 && errno != EINTR)
			break;
		now = gate_now_ms();
		for (i = n - 1; i >= 0; i--) {
			if ((pfd[i + 1].revents == 0 || !gate_linger_read(l[i].fd)) &&
			    now < l[i].deadline_ms)
				continue;
			close(l[i].fd);
			l[i] = l[--n];
		}
		if (pfd[0].revents != 0)
			stop = gate_linger_take(l, &n);
	}
	for (i = 0; i < n; i++)
		close(l[i].fd);
	return NULL;
}

/* --- accept -------------------------------------------------------------- */

/*
 * CivetWeb's master thread accepts through here. A refused connection is
 * answered, and CivetWeb is told to try again (it then polls its listener
 * anew).
 */
int
accept(int fd, struct sockaddr *restrict addr, socklen_t *restrict len)
{
	char	host[GATE_HOST_SIZE];
	int	c, status;

	c = (int)syscall(SYS_accept4, fd, addr, len, 0);
	if (c == -1 || !atomic_load(&gate.ready) || addr == NULL || len == NULL)
		return c;
	atomic_store(&gate.last_ms, gate_now_ms());
	if (getnameinfo(addr, *len, host, sizeof(host), NULL, 0,
	    NI_NUMERICHOST) != 0)
		host[0] = '\0';
	if ((status = gate_admit(host)) == 0) {
		sodium_memzero(host, sizeof(host));
		return c;
	}
	sodium_memzero(host, sizeof(host));
	gate_refuse(c, status);
	errno = EAGAIN;
	return -1;
}

/* --- start and stop ------------------------------------------------------ */

int
gate_start(const struct config *cfg)
{
	int i;

	gate.cap_total = cfg->connections;
	gate.cap_client = cfg->client_connections;
	gate.trusted = &cfg->trusted_proxies;
	gate.total = 0;
	atomic_store(&gate.draining, 0);
	randombytes_buf(gate.hash_key, sizeof(gate.hash_key));
	if ((gate.clients = calloc((size_t)gate.cap_total,
	    sizeof(*gate.clients))) == NULL)
		goto fail;
	if (pipe(gate.pipe) == -1)
		goto fail;
	for (i = 0; i < 2; i++)
		if (fcntl(gate.pipe[i], F_SETFL, O_NONBLOCK) == -1 ||
		    fcntl(gate.pipe[i], F_SETFD, FD_CLOEXEC) == -1)
			goto fail;
	if (pthread_create(&gate.thread, NULL, gate_linger_run, NULL) != 0)
		goto fail;
	atomic_store(&gate.ready, 1);
	return 0;
fail:
	log_warnx("%s: cannot start the connection gate", __func__);
	gate_stop();
	return -1;
}

void
gate_stop(void)
{
	int stop = -1, i;

	if (atomic_exchange(&gate.ready, 0) &&
	    write(gate.pipe[1], &stop, sizeof(stop)) == (ssize_t)sizeof(stop))
		pthread_join(gate.thread, NULL);
	for (i = 0; i < 2; i++) {
		if (gate.pipe[i] != -1)
			close(gate.pipe[i]);
		gate.pipe[i] = -1;
	}
	free(gate.clients);
	gate.clients = NULL;
	sodium_memzero(gate.hash_key, sizeof(gate.hash_key));
}
