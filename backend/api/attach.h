/*
 * attach.h - encrypted attachments (SPEC 3.6) over HTTP: streamed from the
 * request into the case's storage (desk/attachments.h) in pieces and back
 * out the same way, never held whole in memory.
 */
#ifndef MELDPUNT_ATTACH_H
#define MELDPUNT_ATTACH_H

#include "sizes.h"

struct http_request;

/*
 * attach_upload: check the headers and the length (before reading), then
 * stream the body into the case's storage in one transaction. Answers 201
 * {"id"}, or the SPEC error. account_id is NULL for the reporter; an
 * adviser's upload is audited in the same transaction.
 */
int	attach_upload(struct http_request *req,
	    const unsigned char case_id[ID_BYTES], const char *author,
	    const char *account_id);

/*
 * attach_download: stream attachment id_b64 of case_id as
 * application/octet-stream with Content-Disposition: attachment, or 404.
 */
int	attach_download(struct http_request *req,
	    const unsigned char case_id[ID_BYTES], const char *id_b64);

#endif
