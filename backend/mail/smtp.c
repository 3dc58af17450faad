/*
 * smtp.c - one mail over SMTP with libcurl.
 */
#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "log.h"
#include "smtp.h"

#define SMTP_CONNECT_TIMEOUT	10L	/* seconds to reach the server */
#define SMTP_TIMEOUT		60L	/* seconds for the whole exchange */
#define SMTP_ADDR_SIZE		320	/* "<" address ">" */

/* The message as libcurl reads it, in pieces. */
struct smtp_reader {
	const char	*p;
	size_t		 left;
};

static size_t
smtp_read(char *buf, size_t size, size_t nitems, void *arg)
{
	struct smtp_reader	*r = arg;
	size_t			 n = size * nitems;

	if (n > r->left)
		n = r->left;
	memcpy(buf, r->p, n);
	r->p += n;
	r->left -= n;
	return n;
}

/* Whether host (without port) names the loopback interface. */
static int
smtp_loopback(const char *host, size_t len)
{
	static const char *const names[] = { "localhost", "[::1]" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (len == strlen(names[i]) && memcmp(host, names[i], len) == 0)
			return 1;
	return len > 4 && memcmp(host, "127.", 4) == 0 &&
	    strspn(host, "0123456789.") >= len;
}

int
smtp_configure(struct smtp_server *srv, const char *server, const char *tls)
{
	const char	*scheme, *port, *colon, *bracket;
	size_t		 hostlen;
	int		 n;

	if (strcmp(tls, "starttls") == 0) {
		srv->tls = SMTP_STARTTLS;
		scheme = "smtp";
		port = "587";
	} else if (strcmp(tls, "tls") == 0) {
		srv->tls = SMTP_TLS;
		scheme = "smtps";
		port = "465";
	} else if (strcmp(tls, "none") == 0) {
		srv->tls = SMTP_PLAIN;
		scheme = "smtp";
		port = "25";
	} else {
		log_warnx("%s: mail_tls must be starttls, tls or none", __func__);
		return -1;
	}
	if (*server == '\0' || strpbrk(server, "/@?# \t\r\n") != NULL) {
		log_warnx("%s: mail_server must be host or host:port", __func__);
		return -1;
	}
	colon = strrchr(server, ':');
	bracket = strrchr(server, ']');
	if (colon != NULL && (bracket == NULL || colon > bracket)) {
		hostlen = (size_t)(colon - server);
		port = NULL;
	} else
		hostlen = strlen(server);
	if (srv->tls == SMTP_PLAIN && !smtp_loopback(server, hostlen)) {
		log_warnx("%s: mail_tls = none only for a server on the loopback "
		    "interface", __func__);
		return -1;
	}
	n = snprintf(srv->url, sizeof(srv->url), "%s://%s%s%s", scheme, server,
	    port != NULL ? ":" : "", port != NULL ? port : "");
	if (n < 0 || (size_t)n >= sizeof(srv->url)) {
		log_warnx("%s: mail_server too long", __func__);
		return -1;
	}
	return 0;
}

int
smtp_init(void)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		log_warnx("%s: libcurl set-up failed", __func__);
		return -1;
	}
	return 0;
}

void
smtp_end(void)
{
	curl_global_cleanup();
}

/* libcurl's progress call, about once a second: nonzero ends the transfer. */
static int
smtp_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow,
    curl_off_t ultotal, curl_off_t ulnow)
{
	const struct smtp_server *srv = arg;

	(void)dltotal; (void)dlnow; (void)ultotal; (void)ulnow;
	return srv->cancelled != NULL && srv->cancelled();
}

/* The options of one transfer; 0, or -1 when libcurl refused one. */
static int
smtp_options(CURL *c, const struct smtp_server *srv, const char *from,
    struct curl_slist *rcpt, struct smtp_reader *r)
{
	CURLcode e = CURLE_OK;

#define SMTP_SET(opt, val) \
	do { if (e == CURLE_OK) e = curl_easy_setopt(c, opt, val); } while (0)
	SMTP_SET(CURLOPT_URL, srv->url);
	SMTP_SET(CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	SMTP_SET(CURLOPT_NOSIGNAL, 1L);
	SMTP_SET(CURLOPT_SSL_VERIFYPEER, 1L);
	SMTP_SET(CURLOPT_SSL_VERIFYHOST, 2L);
	if (srv->tls == SMTP_STARTTLS)
		SMTP_SET(CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	if (srv->ca_file != NULL && *srv->ca_file != '\0')
		SMTP_SET(CURLOPT_CAINFO, srv->ca_file);
	if (srv->user != NULL && *srv->user != '\0') {
		SMTP_SET(CURLOPT_USERNAME, srv->user);
		SMTP_SET(CURLOPT_PASSWORD, srv->password);
	}
	SMTP_SET(CURLOPT_MAIL_FROM, from);
	SMTP_SET(CURLOPT_MAIL_RCPT, rcpt);
	SMTP_SET(CURLOPT_READFUNCTION, smtp_read);
	SMTP_SET(CURLOPT_READDATA, r);
	SMTP_SET(CURLOPT_UPLOAD, 1L);
	SMTP_SET(CURLOPT_CONNECTTIMEOUT, SMTP_CONNECT_TIMEOUT);
	SMTP_SET(CURLOPT_TIMEOUT, SMTP_TIMEOUT);
	SMTP_SET(CURLOPT_XFERINFOFUNCTION, smtp_progress);
	SMTP_SET(CURLOPT_XFERINFODATA, (void *)srv);
	SMTP_SET(CURLOPT_NOPROGRESS, 0L);
	/* QUIT within the transfer, under its time-out and the cancel, not
	 * at clean-up, where libcurl would wait 120 s for a hung server. */
	SMTP_SET(CURLOPT_FORBID_REUSE, 1L);
#undef SMTP_SET
	if (e != CURLE_OK) {
		log_warnx("%s: %s", __func__, curl_easy_strerror(e));
		return -1;
	}
	return 0;
}

int
smtp_send(const struct smtp_server *srv, const char *to, const char *msg,
    size_t len)
{
	char			 from[SMTP_ADDR_SIZE], rcpt_addr[SMTP_ADDR_SIZE];
	struct smtp_reader	 r = { msg, len };
	struct curl_slist	*rcpt = NULL;
	CURL			*c = NULL;
	CURLcode		 e;
	int			 n, rc = -1;

	n = snprintf(from, sizeof(from), "<%s>", srv->from);
	if (n < 0 || (size_t)n >= sizeof(from))
		return -1;
	n = snprintf(rcpt_addr, sizeof(rcpt_addr), "<%s>", to);
	if (n < 0 || (size_t)n >= sizeof(rcpt_addr))
		return -1;
	if ((rcpt = curl_slist_append(NULL, rcpt_addr)) == NULL ||
	    (c = curl_easy_init()) == NULL)
		goto out;
	if (smtp_options(c, srv, from, rcpt, &r) == -1)
		goto out;
	if ((e = curl_easy_perform(c)) != CURLE_OK) {
		log_warnx("%s: not sent: %s", __func__, curl_easy_strerror(e));
		goto out;
	}
	rc = 0;
out:
	curl_easy_cleanup(c);
	curl_slist_free_all(rcpt);
	return rc;
}
