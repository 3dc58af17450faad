/*
 * advcases.h - case handling by advisers and coordinators (SPEC sections
 * 3.4-3.6, 4 and 5): the inbox, a case, messages, notes and their keys,
 * status and classification, sharing, attachments and colleagues.
 *
 * An adviser sees a case if and only if a wrap for them exists; a
 * coordinator also sees the metadata of their organisations' cases that
 * did not exclude them, and cannot change those (403). Any other case is
 * 404 with the body of an unknown id.
 */
#ifndef MELDPUNT_ADVCASES_H
#define MELDPUNT_ADVCASES_H

struct http_request;
struct json_schema;

/*
 * The bodies' schemas for the route table. Fields a write needs are
 * optional here and required by the handler once the case is open, so
 * that a caller without access hears 404 or 403 whatever the body.
 */
extern const struct json_schema advcases_patch_in;
extern const struct json_schema advcases_message_in;
extern const struct json_schema advcases_read_in;
extern const struct json_schema advcases_note_wraps_in;
extern const struct json_schema advcases_note_in;
extern const struct json_schema advcases_share_in;

/*
 * Every handler answers as SPEC says and returns 0, or -1 for the
 * dispatcher's 503. The case of the path is checked before the body: 404
 * when it is unknown or hidden, 403 where a coordinator sees only its
 * metadata and content is needed.
 */

/* advcases_list: GET .../cases?status&limit&after: the inbox page, 200. */
int	advcases_list(struct http_request *req);
/* advcases_get: GET .../cases/{id}: the case or its metadata, 200; audited. */
int	advcases_get(struct http_request *req);
/* advcases_patch: PATCH .../cases/{id}: status, classification; 204. */
int	advcases_patch(struct http_request *req);
/* advcases_message: POST .../messages: a signed message, 201 {"seq"}. */
int	advcases_message(struct http_request *req);
/* advcases_read: POST .../read {"seq"}: the read mark, 204. */
int	advcases_read(struct http_request *req);
/* advcases_note_wraps: POST .../note-wraps: the notes key's wraps, 204. */
int	advcases_note_wraps(struct http_request *req);
/* advcases_note: POST .../notes: a signed internal note, 201 {"seq"}. */
int	advcases_note(struct http_request *req);
/* advcases_share: POST .../share: a colleague gets the case, 204. */
int	advcases_share(struct http_request *req);
/* advcases_attachment_upload: POST .../attachments: see attach_upload. */
int	advcases_attachment_upload(struct http_request *req);
/* advcases_attachment_download: GET .../attachments/{id}: attach_download. */
int	advcases_attachment_download(struct http_request *req);
/* advcases_colleagues: GET .../colleagues: certified colleagues, 200. */
int	advcases_colleagues(struct http_request *req);

#endif
