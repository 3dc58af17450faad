/*
 * attachments.h - a case's encrypted attachments in the database (SPEC
 * 3.6). An upload is one transaction: a row reserving room in the case,
 * then the stream in pieces of ATTACHMENTS_PIECE_CHUNKS chunks, then the
 * row marked complete (and an adviser's upload audited) at commit. A
 * download reads the pieces back one at a time, never the whole file.
 */
#ifndef MELDPUNT_ATTACHMENTS_H
#define MELDPUNT_ATTACHMENTS_H

#include <stddef.h>

#include "result.h"
#include "sizes.h"

#define ATTACHMENTS_PIECE_CHUNKS 16	/* stream chunks per stored piece */
#define ATTACHMENTS_PIECE	(ATTACHMENTS_PIECE_CHUNKS * CHUNK_CIPHER_BYTES)
#define ATTACHMENTS_PER_CASE	200
#define ATTACHMENTS_META_MAX	4096	/* base64 text of the metadata */
#define ATTACHMENTS_META_BLOCK	256	/* padding block of the metadata */

struct attachment_upload {
	const unsigned char	*case_id;	/* ID_BYTES */
	const char		*author;	/* "reporter", "adviser:<id>" */
	const char		*account_id;	/* NULL for the reporter */
	unsigned char		 id[ID_BYTES];
	unsigned char		*meta;		/* the sealed metadata */
	size_t			 meta_len;
	unsigned long long	 padded;	/* plaintext size, padded */
	long long		 pieces;	/* stored so far */
	int			 open;		/* inside its transaction */
};

/*
 * attachments_check: everything known before a byte of the body is read,
 * in this order: a stream of len bytes (DESK_STREAM_INVALID), at most max
 * bytes padded (DESK_ATTACHMENT_TOO_LARGE), the id's text
 * (DESK_ATTACHMENT_BAD_ID) and the metadata's base64 text
 * (DESK_ATTACHMENT_BAD_META; either may be NULL). DESK_OK fills u's id,
 * meta and padded size; the caller fills the rest and always ends u with
 * attachments_end.
 */
enum desk_result attachments_check(struct attachment_upload *u,
	    unsigned long long len, unsigned long long max,
	    const char *id_text, const char *meta_text);

/*
 * attachments_begin: open the upload's transaction and reserve its room
 * in the case, which holds at most case_bytes padded in
 * ATTACHMENTS_PER_CASE attachments. DESK_OK, DESK_CASE_QUOTA (full, or no
 * such case), DESK_ATTACHMENT_ID_USED or DESK_UNAVAILABLE; on any but
 * DESK_OK the transaction is over.
 */
enum desk_result attachments_begin(struct attachment_upload *u,
	    unsigned long long case_bytes);

/*
 * attachments_piece: store the next piece of n bytes of the stream (a
 * whole ATTACHMENTS_PIECE but for the last). DESK_OK or DESK_UNAVAILABLE.
 */
enum desk_result attachments_piece(struct attachment_upload *u,
	    const void *data, size_t n);

/*
 * attachments_finish: mark the attachment complete, audit an adviser's
 * upload and commit: stored and audited, or neither. DESK_OK or
 * DESK_UNAVAILABLE.
 */
enum desk_result attachments_finish(struct attachment_upload *u);

/* attachments_end: roll back an upload left open; free what u holds. */
void	attachments_end(struct attachment_upload *u);

/*
 * attachments_open: the complete attachment id_text of case_id: the
 * stream's length and its number of pieces. DESK_OK, DESK_NOT_FOUND (also
 * for an id that is not one) or DESK_UNAVAILABLE.
 */
enum desk_result attachments_open(const unsigned char case_id[ID_BYTES],
	    const char *id_text, unsigned char id[ID_BYTES],
	    unsigned long long *len, long long *pieces);

/*
 * attachments_each_piece: hand the pieces of attachment id to write in
 * order, stopping when write returns -1. DESK_OK once every piece was
 * written, else DESK_UNAVAILABLE (missing piece, database or writer).
 */
enum desk_result attachments_each_piece(const unsigned char id[ID_BYTES],
	    long long pieces,
	    int (*write)(void *arg, const unsigned char *p, size_t n),
	    void *arg);

#endif
