/*
 * admin.h - the functional administrator's API (SPEC section 4): accounts,
 * invites, scopes, certificate import, organisations and topics; and the
 * create-admin bootstrap. An admin never sees a case. The routes admit
 * admins only; each JSON route's body is checked per its schema here.
 */
#ifndef MELDPUNT_ADMIN_H
#define MELDPUNT_ADMIN_H

#include <stdio.h>

struct http_request;
struct json_schema;

/* GET /api/v1/admin/accounts (?limit, ?after) */
int	admin_accounts_list(struct http_request *req);
/* POST /api/v1/admin/accounts; req->in per admin_account_in. */
extern const struct json_schema admin_account_in;
int	admin_accounts_create(struct http_request *req);
/* PATCH /api/v1/admin/accounts/{id}; req->in per admin_patch_in. */
extern const struct json_schema admin_patch_in;
int	admin_account_patch(struct http_request *req);
/* POST /api/v1/admin/accounts/{id}/invite */
int	admin_account_invite(struct http_request *req);
/* POST /api/v1/admin/accounts/{id}/deactivate */
int	admin_account_deactivate(struct http_request *req);
/* GET /api/v1/admin/certificates/pending */
int	admin_certificates_pending(struct http_request *req);
/* PUT /api/v1/admin/accounts/{id}/certificate; req->in per admin_cert_in. */
extern const struct json_schema admin_cert_in;
int	admin_certificate_import(struct http_request *req);
/* GET, POST /api/v1/admin/organisations; POST per admin_org_in. */
extern const struct json_schema admin_org_in;
int	admin_organisations_list(struct http_request *req);
int	admin_organisations_create(struct http_request *req);
/* PATCH /api/v1/admin/organisations/{id}; per admin_org_patch_in. */
extern const struct json_schema admin_org_patch_in;
int	admin_organisation_patch(struct http_request *req);
/* GET, POST /api/v1/admin/topics; POST per admin_topic_in. */
extern const struct json_schema admin_topic_in;
int	admin_topics_list(struct http_request *req);
int	admin_topics_create(struct http_request *req);
/* PATCH /api/v1/admin/topics/{id}; per admin_topic_patch_in. */
extern const struct json_schema admin_topic_patch_in;
int	admin_topic_patch(struct http_request *req);

/*
 * admin_create_cli: meldpuntd create-admin: a new admin account and its
 * one-time invite, printed to out as a token and an enrolment link.
 * Database and secrets are set up by the caller. 0, or -1.
 */
int	admin_create_cli(const char *email, const char *name, FILE *out);

#endif
