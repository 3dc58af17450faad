/*
 * mailtext.c - the notification mail's text.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "mailtext.h"

#define MAILTEXT_ID_RANDOM	18	/* random bytes of the Message-ID */
#define MAILTEXT_DATE_SIZE	40	/* "Sat, 05 Dec 2026 08:00:00 +0000" */
#define MAILTEXT_LINK_SIZE	600	/* the inbox link */

struct mailtext_lang {
	const char	*subject;
	const char	*before;	/* the body up to the link */
	const char	*after;		/* and after it */
};

static const struct mailtext_lang mailtext_nl = {
	"Meldpunt: er wacht werk op u",
	"Goedendag,\r\n"
	"\r\n"
	"In Meldpunt wacht werk op u. Log in om te zien wat er is:\r\n",
	"\r\n"
	"Dit bericht is automatisch verstuurd. Het zegt met opzet niet waar\r\n"
	"het over gaat.\r\n",
};

static const struct mailtext_lang mailtext_en = {
	"Meldpunt: work is waiting for you",
	"Hello,\r\n"
	"\r\n"
	"Work is waiting for you at Meldpunt. Log in to see what it is:\r\n",
	"\r\n"
	"This message was sent automatically. On purpose, it does not say\r\n"
	"what it is about.\r\n",
};

/* Whether s may stand in a header or a link line as it is. */
static int
mailtext_safe(const char *s)
{
	const unsigned char *p;

	if (*s == '\0')
		return 0;
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p <= ' ' || *p >= 0x7f || *p == '<' || *p == '>' ||
		    *p == '"' || *p == '\\')
			return 0;
	return 1;
}

/* The part of address from after '@' (the Message-ID's right side). */
static const char *
mailtext_domain(const char *from)
{
	const char *at = strrchr(from, '@');

	return at != NULL && at[1] != '\0' ? at + 1 : "meldpunt.invalid";
}

/* Count n bytes just written at *used of outsz; 0, or -1 if cut off. */
static int
mailtext_put(size_t outsz, size_t *used, int n)
{
	if (n < 0 || (size_t)n >= outsz - *used)
		return -1;
	*used += (size_t)n;
	return 0;
}

int
mailtext_compose(char *out, size_t outsz, size_t *len, const char *lang,
    const char *from, const char *to, const char *base_url, time_t now)
{
	const struct mailtext_lang	*l;
	unsigned char			 id[MAILTEXT_ID_RANDOM];
	char				 idhex[2 * MAILTEXT_ID_RANDOM + 1];
	char				 date[MAILTEXT_DATE_SIZE];
	char				 link[MAILTEXT_LINK_SIZE];
	struct tm			 tm;
	size_t				 used = 0, blen;
	int				 n;

	if (outsz == 0 || !mailtext_safe(from) || !mailtext_safe(to) ||
	    !mailtext_safe(base_url))
		return -1;
	l = strcmp(lang, "en") == 0 ? &mailtext_en : &mailtext_nl;
	blen = strlen(base_url);
	while (blen > 0 && base_url[blen - 1] == '/')
		blen--;
	n = snprintf(link, sizeof(link), "%.*s/adviser.html", (int)blen,
	    base_url);
	if (n < 0 || (size_t)n >= sizeof(link))
		return -1;
	if (gmtime_r(&now, &tm) == NULL ||
	    strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm) == 0)
		return -1;
	randombytes_buf(id, sizeof(id));
	sodium_bin2hex(idhex, sizeof(idhex), id, sizeof(id));
	n = snprintf(out, outsz,
	    "Date: %s\r\n"
	    "From: Meldpunt <%s>\r\n"
	    "To: <%s>\r\n"
	    "Subject: %s\r\n"
	    "Message-ID: <%s@%s>\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: 8bit\r\n"
	    "Auto-Submitted: auto-generated\r\n"
	    "\r\n",
	    date, from, to, l->subject, idhex, mailtext_domain(from));
	if (mailtext_put(outsz, &used, n) == -1)
		return -1;
	n = snprintf(out + used, outsz - used, "%s%s\r\n%s", l->before, link,
	    l->after);
	if (mailtext_put(outsz, &used, n) == -1)
		return -1;
	*len = used;
	return 0;
}
