/*
 * smtp.h - sending one mail over SMTP with libcurl: STARTTLS or implicit
 * TLS with the server's certificate verified, optional authentication.
 * Plain SMTP is allowed only to a server on the loopback interface (a
 * local relay, or the tests' server). Nothing here logs an address or a
 * message; a failure is logged as libcurl's error text.
 */
#ifndef MELDPUNT_SMTP_H
#define MELDPUNT_SMTP_H

#include <stddef.h>

enum smtp_tls { SMTP_STARTTLS, SMTP_TLS, SMTP_PLAIN };

/* What smtp_send needs; the caller owns every string. */
struct smtp_server {
	char		 url[512];	/* smtp://host:port or smtps://... */
	enum smtp_tls	 tls;
	const char	*ca_file;	/* NULL or "": the system's CAs */
	const char	*user;		/* NULL or "": no authentication */
	const char	*password;	/* with user */
	const char	*from;		/* envelope sender, a bare address */
	int		(*cancelled)(void); /* NULL, or 1 ends a transfer */
};

/*
 * smtp_configure: fill srv's url and tls from server ("host", "host:port",
 * "[v6]:port") and tls ("starttls", "tls", "none"; default ports 587, 465,
 * 25). Returns 0, or -1 after logging what is wrong (an unknown tls word,
 * "none" for a server off the loopback interface, a name too long).
 */
int	smtp_configure(struct smtp_server *srv, const char *server,
	    const char *tls);

/* smtp_init: libcurl's global set-up, once before any thread sends. 0/-1. */
int	smtp_init(void);
/* smtp_end: libcurl's global clean-up, after the last send. */
void	smtp_end(void);

/*
 * smtp_send: deliver msg (len bytes: headers, blank line, body; CRLF line
 * ends) to the one address to. Returns 0 once the server accepted it, or
 * -1 (logged without addresses) when it did not: the caller retries.
 * A transfer ends within about a second once srv->cancelled returns 1
 * (a daemon that stops does not wait for a hung server's time-out).
 */
int	smtp_send(const struct smtp_server *srv, const char *to,
	    const char *msg, size_t len)
	    __attribute__((warn_unused_result));

#endif
