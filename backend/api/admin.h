/*
 * admin.h - the functional administrator's API (SPEC section 4): accounts,
 * invites, scopes, certificate import, organisations and topics; and the
 * create-admin bootstrap. An admin never sees a case.
 */
#ifndef MELDPUNT_ADMIN_H
#define MELDPUNT_ADMIN_H

#include <stdio.h>

struct http_request;

int	admin_accounts_list(struct http_request *req);
int	admin_accounts_create(struct http_request *req);
int	admin_account_patch(struct http_request *req);
int	admin_account_invite(struct http_request *req);
int	admin_account_deactivate(struct http_request *req);
int	admin_certificates_pending(struct http_request *req);
int	admin_certificate_import(struct http_request *req);
int	admin_organisations_list(struct http_request *req);
int	admin_organisations_create(struct http_request *req);
int	admin_organisation_patch(struct http_request *req);
int	admin_topics_list(struct http_request *req);
int	admin_topics_create(struct http_request *req);
int	admin_topic_patch(struct http_request *req);

/*
 * admin_create_cli: meldpuntd create-admin: a new admin account and its
 * one-time invite, printed to out as a token and an enrolment link.
 * Database and secrets are set up by the caller. 0, or -1.
 */
int	admin_create_cli(const char *email, const char *name, FILE *out);

#endif
