/*
 * routes.c - the API's route table: every handler is reached from here in
 * one hop, and who may call it is read here in one place.
 *
 * Routes are anchored: the pattern must match the whole path, {} one
 * segment. The third column is who may call (checked before a byte of the
 * body is read; a handler may narrow it further, as the logouts check
 * their own token), then the body kind and its input schema.
 */
#include <stddef.h>

#include "json_in.h"

#include "account.h"
#include "admin.h"
#include "advcases.h"
#include "dispatch.h"
#include "enrol.h"
#include "keys.h"
#include "public.h"
#include "reporter.h"
#include "routes.h"
#include "session.h"
#include "stats_api.h"
#include "submit.h"
#include "submit_in.h"

/* Staff roles, as the routes admit them. */
#define CASEWORK	SESSION_ROLE_CASEWORK
#define COORDINATOR	SESSION_ROLE_COORDINATOR
#define ADMIN		SESSION_ROLE_ADMIN
#define STATS		(SESSION_ROLE_COORDINATOR | SESSION_ROLE_ANALYST)

const struct http_route routes_api[] = {
	{ "GET", "/healthz",
	    ROUTE_PUBLIC, HTTP_BODY_NONE, NULL, public_health },
	{ "GET", "/api/v1/desk",
	    ROUTE_PUBLIC, HTTP_BODY_NONE, NULL, public_get },
	{ "POST", "/api/v1/challenges",
	    ROUTE_PUBLIC, HTTP_BODY_NONE, NULL, submit_challenge },
	{ "GET", "/api/v1/routing",
	    ROUTE_PUBLIC, HTTP_BODY_NONE, NULL, public_routing },
	{ "POST", "/api/v1/reports",
	    ROUTE_PUBLIC, HTTP_BODY_JSON, &submit_in_schema, submit_report },
	/* The reporter login throttles before it parses: no schema. */
	{ "POST", "/api/v1/reporter/challenge",
	    ROUTE_PUBLIC, HTTP_BODY_JSON, NULL, reporter_challenge },
	{ "POST", "/api/v1/reporter/session",
	    ROUTE_PUBLIC, HTTP_BODY_JSON, NULL, reporter_login },
	{ "DELETE", "/api/v1/reporter/session",
	    ROUTE_PUBLIC, HTTP_BODY_NONE, NULL, session_end },
	{ "GET", "/api/v1/reporter/case",
	    ROUTE_REPORTER, HTTP_BODY_NONE, NULL, reporter_case },
	{ "POST", "/api/v1/reporter/case/messages",
	    ROUTE_REPORTER, HTTP_BODY_JSON, &reporter_message_in,
	    reporter_message },
	{ "POST", "/api/v1/reporter/case/read",
	    ROUTE_REPORTER, HTTP_BODY_JSON, &reporter_read_in, reporter_read },
	{ "POST", "/api/v1/reporter/case/attachments",
	    ROUTE_REPORTER, HTTP_BODY_STREAM, NULL, reporter_attachment_upload },
	{ "GET", "/api/v1/reporter/case/attachments/{}",
	    ROUTE_REPORTER, HTTP_BODY_NONE, NULL, reporter_attachment_download },
	{ "POST", "/api/v1/adviser/prelogin",
	    ROUTE_PUBLIC, HTTP_BODY_JSON, &account_prelogin_in,
	    account_prelogin },
	{ "POST", "/api/v1/adviser/session",
	    ROUTE_PUBLIC, HTTP_BODY_JSON, &account_login_in, account_login },
	{ "DELETE", "/api/v1/adviser/session",
	    ROUTE_PUBLIC, HTTP_BODY_NONE, NULL, account_logout },
	{ "PUT", "/api/v1/adviser/passphrase",
	    ROUTE_STAFF, HTTP_BODY_JSON, &account_passphrase_in,
	    account_passphrase },
	{ "PUT", "/api/v1/adviser/totp",
	    ROUTE_STAFF, HTTP_BODY_JSON, &account_totp_in, account_totp },
	{ "POST", "/api/v1/adviser/totp/confirm",
	    ROUTE_STAFF, HTTP_BODY_JSON, &account_totp_confirm_in,
	    account_totp_confirm },
	{ "GET", "/api/v1/adviser/notifications",
	    CASEWORK, HTTP_BODY_NONE, NULL, account_notifications_get },
	{ "PUT", "/api/v1/adviser/notifications",
	    CASEWORK, HTTP_BODY_JSON, &account_notifications_in,
	    account_notifications_put },
	{ "GET", "/api/v1/adviser/cases",
	    CASEWORK, HTTP_BODY_NONE, NULL, advcases_list },
	{ "GET", "/api/v1/adviser/cases/{}",
	    CASEWORK, HTTP_BODY_NONE, NULL, advcases_get },
	{ "PATCH", "/api/v1/adviser/cases/{}",
	    CASEWORK, HTTP_BODY_JSON, &advcases_patch_in, advcases_patch },
	{ "POST", "/api/v1/adviser/cases/{}/messages",
	    CASEWORK, HTTP_BODY_JSON, &advcases_message_in, advcases_message },
	{ "POST", "/api/v1/adviser/cases/{}/read",
	    CASEWORK, HTTP_BODY_JSON, &advcases_read_in, advcases_read },
	{ "POST", "/api/v1/adviser/cases/{}/note-wraps",
	    CASEWORK, HTTP_BODY_JSON, &advcases_note_wraps_in,
	    advcases_note_wraps },
	{ "POST", "/api/v1/adviser/cases/{}/notes",
	    CASEWORK, HTTP_BODY_JSON, &advcases_note_in, advcases_note },
	{ "POST", "/api/v1/adviser/cases/{}/share",
	    CASEWORK, HTTP_BODY_JSON, &advcases_share_in, advcases_share },
	{ "POST", "/api/v1/adviser/cases/{}/attachments",
	    CASEWORK, HTTP_BODY_STREAM, NULL, advcases_attachment_upload },
	{ "GET", "/api/v1/adviser/cases/{}/attachments/{}",
	    CASEWORK, HTTP_BODY_NONE, NULL, advcases_attachment_download },
	{ "GET", "/api/v1/adviser/colleagues",
	    CASEWORK, HTTP_BODY_NONE, NULL, advcases_colleagues },
	{ "POST", "/api/v1/enrol/info",
	    ROUTE_PUBLIC, HTTP_BODY_JSON, &enrol_info_in, enrol_info },
	{ "POST", "/api/v1/enrol",
	    ROUTE_PUBLIC, HTTP_BODY_JSON, &enrol_start_in, enrol_start },
	{ "POST", "/api/v1/enrol/confirm",
	    ROUTE_PUBLIC, HTTP_BODY_JSON, &enrol_confirm_in,
	    enrol_confirm },
	{ "GET", "/api/v1/admin/accounts",
	    ADMIN, HTTP_BODY_NONE, NULL, admin_accounts_list },
	{ "POST", "/api/v1/admin/accounts",
	    ADMIN, HTTP_BODY_JSON, &admin_account_in, admin_accounts_create },
	{ "PATCH", "/api/v1/admin/accounts/{}",
	    ADMIN, HTTP_BODY_JSON, &admin_patch_in, admin_account_patch },
	{ "POST", "/api/v1/admin/accounts/{}/invite",
	    ADMIN, HTTP_BODY_NONE, NULL, admin_account_invite },
	{ "POST", "/api/v1/admin/accounts/{}/deactivate",
	    ADMIN, HTTP_BODY_NONE, NULL, admin_account_deactivate },
	{ "PUT", "/api/v1/admin/accounts/{}/certificate",
	    ADMIN, HTTP_BODY_JSON, &admin_cert_in, admin_certificate_import },
	{ "GET", "/api/v1/admin/certificates/pending",
	    ADMIN, HTTP_BODY_NONE, NULL, admin_certificates_pending },
	{ "GET", "/api/v1/admin/organisations",
	    ADMIN, HTTP_BODY_NONE, NULL, admin_organisations_list },
	{ "POST", "/api/v1/admin/organisations",
	    ADMIN, HTTP_BODY_JSON, &admin_org_in, admin_organisations_create },
	{ "PATCH", "/api/v1/admin/organisations/{}",
	    ADMIN, HTTP_BODY_JSON, &admin_org_patch_in,
	    admin_organisation_patch },
	{ "GET", "/api/v1/admin/topics",
	    ADMIN, HTTP_BODY_NONE, NULL, admin_topics_list },
	{ "POST", "/api/v1/admin/topics",
	    ADMIN, HTTP_BODY_JSON, &admin_topic_in, admin_topics_create },
	{ "PATCH", "/api/v1/admin/topics/{}",
	    ADMIN, HTTP_BODY_JSON, &admin_topic_patch_in, admin_topic_patch },
	{ "POST", "/api/v1/adviser/keys",
	    CASEWORK, HTTP_BODY_JSON, &keys_add_in, keys_add },
	{ "PUT", "/api/v1/adviser/keys",
	    CASEWORK, HTTP_BODY_JSON, &keys_swap_in, keys_swap },
	{ "GET", "/api/v1/adviser/rewrap",
	    CASEWORK, HTTP_BODY_NONE, NULL, keys_rewrap },
	{ "POST", "/api/v1/adviser/recovery-exports",
	    COORDINATOR, HTTP_BODY_JSON, &keys_export_in, keys_export },
	{ "POST", "/api/v1/adviser/recovery-exports/{}/import",
	    COORDINATOR, HTTP_BODY_JSON, &keys_import_in, keys_import },
	{ "GET", "/api/v1/stats/releases",
	    STATS, HTTP_BODY_NONE, NULL, stats_api_list },
	{ "POST", "/api/v1/stats/releases",
	    STATS, HTTP_BODY_JSON, &stats_api_create_in, stats_api_create },
	{ "GET", "/api/v1/stats/releases/{}",
	    STATS, HTTP_BODY_NONE, NULL, stats_api_get },
	{ NULL, NULL, ROUTE_PUBLIC, HTTP_BODY_NONE, NULL, NULL }
};
