/*
 * attach.h - encrypted attachments (SPEC 3.6): streamed from the request
 * into PostgreSQL in pieces and back out the same way, never held whole
 * in memory.
 */
#ifndef MELDPUNT_ATTACH_H
#define MELDPUNT_ATTACH_H

struct http_request;

#define ATTACH_HEADER		24	/* secretstream header */
#define ATTACH_CHUNK		65553	/* 65536 plaintext + 17 */
#define ATTACH_PLAIN_CHUNK	65536
#define ATTACH_PIECE_CHUNKS	16	/* stream chunks per stored piece */
#define ATTACH_META_MAX		4096	/* base64 text of the metadata */
#define ATTACH_PER_CASE		200

/*
 * attach_upload: check the headers and the length (before reading), then
 * stream the body into the case's storage in one transaction. Answers 201
 * {"id"}, or the SPEC error. account_id is NULL for the reporter; an
 * adviser's upload is audited in the same transaction.
 */
int	attach_upload(struct http_request *req, const unsigned char case_id[16],
	    const char *author, const char *account_id);

/*
 * attach_download: stream attachment id_b64 of case_id as
 * application/octet-stream with Content-Disposition: attachment, or 404.
 */
int	attach_download(struct http_request *req,
	    const unsigned char case_id[16], const char *id_b64);

#endif
