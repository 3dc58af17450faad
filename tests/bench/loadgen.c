/*
 * loadgen.c - the submission benchmark's client: N threads, each with one
 * keep-alive connection, each looping challenge -> proof of work ->
 * submission with a pre-encrypted body, for a fixed time. Reports
 * submissions per second and the latency of each whole submission (from
 * the challenge request to the 201), p50 and p99.
 *
 *	meldpunt-loadgen PORT THREADS SECONDS BODIES_FILE
 *
 * Talks only to 127.0.0.1. Bounded in time: it stops by itself.
 */
#define _GNU_SOURCE	/* strcasestr */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "pow.h"

#define LOADGEN_MAX_SAMPLES	(1 << 20)
#define LOADGEN_BUF		(1 << 16)

struct loadgen_body {
	char	*text;		/* the template, placeholders inside */
	size_t	 len;
};

struct loadgen_thread {
	pthread_t		 tid;
	int			 port;
	double			 deadline;
	const struct loadgen_body *bodies;
	size_t			 nbodies, next;
	int			 client;	/* which client it poses as */
	double			*samples;
	size_t			 nsamples;
	long			 errors;
};

static double
loadgen_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
loadgen_connect(int port)
{
	struct sockaddr_in	sin;
	int			fd, one = 1;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return -1;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((unsigned short)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Write the head and the body in one call, as one segment where they fit. */
static int
loadgen_write_all(int fd, const char *head, size_t hlen, const char *body,
    size_t blen)
{
	struct iovec	iov[2] = {
		{ (void *)(uintptr_t)head, hlen }, { (void *)(uintptr_t)body, blen }
	};
	struct iovec	*v = iov;
	int		 nv = blen > 0 ? 2 : 1;
	ssize_t		 w;

	while (nv > 0) {
		if ((w = writev(fd, v, nv)) <= 0)
			return -1;
		while (nv > 0 && (size_t)w >= v->iov_len) {
			w -= (ssize_t)v->iov_len;
			v++;
			nv--;
		}
		if (nv > 0) {
			v->iov_base = (char *)v->iov_base + w;
			v->iov_len -= (size_t)w;
		}
	}
	return 0;
}

/* Read one response into buf; returns the status, body in *body. */
static int
loadgen_read_response(int fd, char *buf, size_t cap, char **body)
{
	size_t	 got = 0, need = 0;
	ssize_t	 r;
	char	*end, *cl;

	for (;;) {
		if (got == cap - 1)
			return -1;
		if ((r = read(fd, buf + got, cap - 1 - got)) <= 0)
			return -1;
		got += (size_t)r;
		buf[got] = '\0';
		if ((end = strstr(buf, "\r\n\r\n")) == NULL)
			continue;
		if (need == 0) {
			cl = strcasestr(buf, "Content-Length:");
			if (cl == NULL || cl > end)
				return -1;
			need = (size_t)(end + 4 - buf) + strtoul(cl + 15, NULL, 10);
			if (need >= cap)
				return -1;
		}
		if (got >= need)
			break;
	}
	*body = end + 4;
	return atoi(buf + 9);
}

/*
 * POST json to path as client (X-Forwarded-For 10.0.x.y; the daemon trusts
 * the load generator as its proxy), so that each thread is one client for
 * the per-client counters.
 */
static int
loadgen_post(int fd, int client, const char *path, const char *json,
    size_t len, char *buf, size_t cap, char **body)
{
	char	head[320];
	int	n;

	n = snprintf(head, sizeof(head), "POST %s HTTP/1.1\r\nHost: bench\r\n"
	    "X-Forwarded-For: 10.0.%d.%d\r\n"
	    "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n",
	    path, client / 256, client % 256, len);
	if (n < 0 || (size_t)n >= sizeof(head) ||
	    loadgen_write_all(fd, head, (size_t)n, json, len) == -1)
		return -1;
	return loadgen_read_response(fd, buf, cap, body);
}

/* Copy the JSON string value of key from body into out (b64 text). */
static int
loadgen_field(const char *body, const char *key, char *out, size_t cap)
{
	const char	*p = strstr(body, key), *e;

	if (p == NULL || (p = strchr(p + strlen(key), '"')) == NULL ||
	    (e = strchr(p + 1, '"')) == NULL || (size_t)(e - p - 1) >= cap)
		return -1;
	memcpy(out, p + 1, (size_t)(e - p - 1));
	out[e - p - 1] = '\0';
	return 0;
}

static void
loadgen_solve(const char *challenge_b64, unsigned int d, char nonce_b64[16])
{
	unsigned char	c[32], nonce[8];
	unsigned long long i;

	if (sodium_base642bin(c, sizeof(c), challenge_b64, strlen(challenge_b64),
	    NULL, NULL, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
		return;
	for (i = 0;; i++) {
		memcpy(nonce, &i, sizeof(nonce));
		if (pow_valid(c, nonce, d))
			break;
	}
	sodium_bin2base64(nonce_b64, 16, nonce, 8,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/* Fill the template's placeholders into out. Returns the length or 0. */
static size_t
loadgen_fill(const struct loadgen_body *b, const char *challenge,
    const char *nonce, const char *lookup, char *out, size_t cap)
{
	const char	*p = b->text, *q;
	size_t		 n = 0, k;
	const char	*names[3] = { "@CHALLENGE@", "@NONCE@", "@LOOKUP@" };
	const char	*values[3] = { challenge, nonce, lookup };
	int		 i, which;

	while (*p != '\0') {
		q = strchr(p, '@');
		which = -1;
		for (i = 0; q != NULL && i < 3; i++)
			if (strncmp(q, names[i], strlen(names[i])) == 0)
				which = i;
		if (q == NULL || which == -1) {
			k = q == NULL ? strlen(p) : (size_t)(q - p) + 1;
			if (n + k >= cap)
				return 0;
			memcpy(out + n, p, k);
			n += k;
			p += k;
			continue;
		}
		k = (size_t)(q - p);
		if (n + k + strlen(values[which]) >= cap)
			return 0;
		memcpy(out + n, p, k);
		n += k;
		memcpy(out + n, values[which], strlen(values[which]));
		n += strlen(values[which]);
		p = q + strlen(names[which]);
	}
	out[n] = '\0';
	return n;
}

static int
loadgen_one(struct loadgen_thread *t, int fd, char *buf, char *json)
{
	char		 challenge[64], diff[16], nonce[16], lookup[64], *body;
	unsigned char	 raw[32];
	const struct loadgen_body *b = &t->bodies[t->next++ % t->nbodies];
	size_t		 len;

	if (loadgen_post(fd, t->client, "/api/v1/challenges", "", 0, buf,
	    LOADGEN_BUF,
	    &body) != 200 || loadgen_field(body, "\"challenge\"", challenge,
	    sizeof(challenge)) == -1)
		return -1;
	body = strstr(body, "\"difficulty\":");
	if (body == NULL)
		return -1;
	snprintf(diff, sizeof(diff), "%s", body + 13);
	loadgen_solve(challenge, (unsigned int)atoi(diff), nonce);
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(lookup, sizeof(lookup), raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	if ((len = loadgen_fill(b, challenge, nonce, lookup, json,
	    LOADGEN_BUF * 4)) == 0)
		return -1;
	return loadgen_post(fd, t->client, "/api/v1/reports", json, len, buf,
	    LOADGEN_BUF, &body) == 201 ? 0 : -1;
}

static void *
loadgen_run(void *arg)
{
	struct loadgen_thread	*t = arg;
	char			*buf = malloc(LOADGEN_BUF), *json = malloc(LOADGEN_BUF * 4);
	double			 start;
	int			 fd = -1;

	while (buf != NULL && json != NULL && loadgen_now() < t->deadline) {
		if (fd == -1 && (fd = loadgen_connect(t->port)) == -1) {
			t->errors++;
			usleep(1000);
			continue;
		}
		start = loadgen_now();
		if (loadgen_one(t, fd, buf, json) == -1) {
			t->errors++;
			close(fd);
			fd = -1;
			continue;
		}
		if (t->nsamples < LOADGEN_MAX_SAMPLES)
			t->samples[t->nsamples++] = loadgen_now() - start;
	}
	if (fd != -1)
		close(fd);
	free(buf);
	free(json);
	return NULL;
}

static int
loadgen_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static struct loadgen_body *
loadgen_load(const char *path, size_t *n)
{
	FILE			*fp = fopen(path, "r");
	struct loadgen_body	*b = NULL;
	char			*line = NULL;
	size_t			 cap = 0, count = 0;
	ssize_t			 len;

	if (fp == NULL)
		return NULL;
	while ((len = getline(&line, &cap, fp)) > 1) {
		struct loadgen_body *nb = realloc(b, (count + 1) * sizeof(*b));

		if (nb == NULL)
			break;
		b = nb;
		line[len - 1] = '\0';
		b[count].text = strdup(line);
		b[count].len = (size_t)len - 1;
		count++;
	}
	free(line);
	fclose(fp);
	*n = count;
	return b;
}

int
main(int argc, char *argv[])
{
	struct loadgen_thread	*t;
	struct loadgen_body	*bodies;
	size_t			 nbodies = 0, total = 0, k;
	double			*all, start, elapsed;
	struct rusage		 ru;
	long			 errors = 0;
	int			 nthreads, i;

	if (argc != 5 || sodium_init() < 0) {
		fprintf(stderr, "usage: meldpunt-loadgen PORT THREADS SECONDS BODIES\n");
		return 2;
	}
	nthreads = atoi(argv[2]);
	if (nthreads < 1 || nthreads > 256 ||
	    (bodies = loadgen_load(argv[4], &nbodies)) == NULL || nbodies == 0)
		return 2;
	t = calloc((size_t)nthreads, sizeof(*t));
	start = loadgen_now();
	for (i = 0; t != NULL && i < nthreads; i++) {
		t[i].port = atoi(argv[1]);
		t[i].deadline = start + atof(argv[3]);
		t[i].bodies = bodies;
		t[i].nbodies = nbodies;
		t[i].next = (size_t)i * 7919;
		t[i].client = i + 1;
		t[i].samples = malloc(LOADGEN_MAX_SAMPLES * sizeof(double));
		if (t[i].samples == NULL ||
		    pthread_create(&t[i].tid, NULL, loadgen_run, &t[i]) != 0)
			return 1;
	}
	for (i = 0; i < nthreads; i++) {
		pthread_join(t[i].tid, NULL);
		total += t[i].nsamples;
		errors += t[i].errors;
	}
	elapsed = loadgen_now() - start;
	if ((all = malloc((total + 1) * sizeof(double))) == NULL)
		return 1;
	for (i = 0, k = 0; i < nthreads; i++) {
		memcpy(all + k, t[i].samples, t[i].nsamples * sizeof(double));
		k += t[i].nsamples;
	}
	qsort(all, total, sizeof(double), loadgen_cmp);
	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return 1;
	printf("submissions %zu errors %ld seconds %.2f rate %.0f/s "
	    "p50 %.2f ms p99 %.2f ms cpu %.2f s\n", total, errors, elapsed,
	    (double)total / elapsed, total ? all[total / 2] * 1e3 : 0.0,
	    total ? all[total * 99 / 100] * 1e3 : 0.0,
	    (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6);
	return total > 0 ? 0 : 1;
}
