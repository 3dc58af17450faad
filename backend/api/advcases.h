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

int	advcases_list(struct http_request *req);
int	advcases_get(struct http_request *req);
int	advcases_patch(struct http_request *req);
int	advcases_message(struct http_request *req);
int	advcases_read(struct http_request *req);
int	advcases_note_wraps(struct http_request *req);
int	advcases_note(struct http_request *req);
int	advcases_share(struct http_request *req);
int	advcases_attachment_upload(struct http_request *req);
int	advcases_attachment_download(struct http_request *req);
int	advcases_colleagues(struct http_request *req);

#endif
