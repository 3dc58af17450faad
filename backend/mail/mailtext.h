/*
 * mailtext.h - the one notification mail, in Dutch or English. It says
 * that work is waiting and links to the inbox; nothing else: no
 * organisation, topic, case, count, kind or words of anyone, so that a
 * mail system that reads it learns no more than that the adviser has
 * work at the desk. Pure: no server, no database.
 */
#ifndef MELDPUNT_MAILTEXT_H
#define MELDPUNT_MAILTEXT_H

#include <stddef.h>
#include <time.h>

#define MAILTEXT_SIZE	2048	/* room for the whole message */

/*
 * mailtext_compose: write the message (headers, blank line, body; CRLF
 * line ends) for recipient to, sender from, in language lang ("en"; any
 * other value gives Dutch), dated now, linking to base_url's inbox, with
 * a random Message-ID, into out (outsz bytes, MAILTEXT_SIZE will do).
 * *len gets its length. Returns 0, or -1 when an address or the URL holds
 * a byte that could break a header (control bytes, '<', '>', spaces) or
 * the message does not fit.
 */
int	mailtext_compose(char *out, size_t outsz, size_t *len, const char *lang,
	    const char *from, const char *to, const char *base_url, time_t now)
	    __attribute__((warn_unused_result));

#endif
