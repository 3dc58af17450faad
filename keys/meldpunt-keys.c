/*
 * meldpunt-keys - the desk's offline key tooling.
 *
 *	meldpunt-keys desk new --out FILE
 *		Create the desk certification key pair (Ed25519): FILE holds
 *		the secret key (mode 0600), FILE.pub the public key that goes
 *		into the server's secrets folder and the frontend pins.
 *	meldpunt-keys desk certify --in PENDING.json --key FILE
 *	    --not-after YYYY-MM-DD --out CERTS.json [--yes]
 *		Certify the pending requests of GET /api/v1/admin/certificates/
 *		pending (SPEC 3.8): print each request and its key fingerprint,
 *		ask the officer to confirm it matches what the adviser read out
 *		(unless --yes, for scripts), sign the confirmed ones and write
 *		[{"id","encryption_public_key","not_after","certificate"}].
 *	meldpunt-keys recovery new --shares N --threshold T --out DIR
 *		Create the desk recovery key pair in locked memory and write
 *		DIR/recovery_key.pub and N share files, any T of which recover
 *		the secret key (keys/recovery.c); the whole secret is never
 *		written.
 *	meldpunt-keys recovery new --dev --out FILE
 *		Create a recovery key pair (X25519) as one whole file, for a
 *		development or demo desk only.
 *	meldpunt-keys recovery rewrap --share FILE... --in EXPORT --to ADVISER
 *	    --cert-key CERT.pub --out IMPORT
 *		Combine shares and re-wrap an export's case keys for a new
 *		adviser (SPEC 3.11).
 *
 * Commands are one table; each takes --name value options (and flags) from
 * a second table. Secrets live in sodium_malloc'd memory and are wiped on
 * every path.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "json_in.h"
#include "json_mem.h"
#include "keyfile.h"
#include "recovery.h"
#include "seal.h"

#define KEYS_MAX_OPTS	(RECOVERY_MAX_SHARES + 8)
#define KEYS_MAX_SCOPE	256
#define KEYS_MAX_INPUT	(16 << 20)

/* Parsed options: --name value pairs and bare --flags. */
struct keys_opts {
	const char	*name[KEYS_MAX_OPTS];
	const char	*value[KEYS_MAX_OPTS];	/* NULL for a flag */
	int		 n;
};

struct keys_command {
	const char	*group, *verb;
	const char	*usage;
	const char	*required[4];	/* options that need a value */
	const char	*flags[4];	/* options without a value */
	int		(*run)(const struct keys_opts *);
	const char	*optional[4];	/* valued options that may be absent */
	const char	*repeated;	/* a valued option given 1..n times */
};

static const char *
keys_opt(const struct keys_opts *o, const char *name)
{
	int i;

	for (i = 0; i < o->n; i++)
		if (strcmp(o->name[i], name) == 0)
			return o->value[i] != NULL ? o->value[i] : "";
	return NULL;
}

static int
keys_write_pair(const char *out, const unsigned char *sk, size_t sklen,
    const unsigned char *pk, size_t pklen)
{
	char pub[4096];
	int  n;

	n = snprintf(pub, sizeof(pub), "%s.pub", out);
	if (n < 0 || (size_t)n >= sizeof(pub))
		return -1;
	if (keyfile_write(out, sk, sklen, 0600) == -1)
		return -1;
	if (keyfile_write(pub, pk, pklen, 0644) == -1) {
		(void)remove(out);
		return -1;
	}
	return 0;
}

static int
keys_desk_new(const struct keys_opts *o)
{
	unsigned char	 pk[crypto_sign_PUBLICKEYBYTES];
	unsigned char	*sk;
	int		 rc = -1;

	if ((sk = sodium_malloc(crypto_sign_SECRETKEYBYTES)) == NULL)
		return -1;
	if (crypto_sign_keypair(pk, sk) == 0 &&
	    keys_write_pair(keys_opt(o, "--out"), sk, crypto_sign_SECRETKEYBYTES,
	    pk, sizeof(pk)) == 0)
		rc = 0;
	sodium_free(sk);
	return rc;
}

static int	keys_recovery_new_dev(const struct keys_opts *);

/* Every value of a repeated option, in order; returns how many. */
static size_t
keys_opt_all(const struct keys_opts *o, const char *name, const char **out,
    size_t max)
{
	size_t	n = 0;
	int	i;

	for (i = 0; i < o->n && n < max; i++)
		if (strcmp(o->name[i], name) == 0 && o->value[i] != NULL)
			out[n++] = o->value[i];
	return n;
}

static int
keys_number(const char *text, unsigned int max, unsigned int *out)
{
	char		*end;
	unsigned long	 v;

	if (text == NULL)
		return -1;
	v = strtoul(text, &end, 10);
	if (*text == '\0' || *end != '\0' || v == 0 || v > max)
		return -1;
	*out = (unsigned int)v;
	return 0;
}

/* recovery new --shares N --threshold T --out DIR: the real ceremony. */
static int
keys_recovery_new_shares(const struct keys_opts *o)
{
	unsigned int n, t;

	if (keys_number(keys_opt(o, "--shares"), RECOVERY_MAX_SHARES, &n) == -1 ||
	    keys_number(keys_opt(o, "--threshold"), RECOVERY_MAX_SHARES, &t) == -1) {
		fprintf(stderr, "meldpunt-keys: --shares and --threshold must be "
		    "whole numbers from 1 to %d\n", RECOVERY_MAX_SHARES);
		return -1;
	}
	return recovery_new(n, t, keys_opt(o, "--out"));
}

static int
keys_recovery_rewrap(const struct keys_opts *o)
{
	const char	*shares[RECOVERY_MAX_SHARES];
	size_t		 n = keys_opt_all(o, "--share", shares, RECOVERY_MAX_SHARES);
	char		 today[11];
	time_t		 now = time(NULL);
	struct tm	 tm;

	if (gmtime_r(&now, &tm) == NULL ||
	    strftime(today, sizeof(today), "%Y-%m-%d", &tm) != 10)
		return -1;
	return recovery_rewrap(shares, n, keys_opt(o, "--in"),
	    keys_opt(o, "--to"), keys_opt(o, "--cert-key"), keys_opt(o, "--out"),
	    today);
}

static int
keys_recovery_new(const struct keys_opts *o)
{
	if (keys_opt(o, "--dev") == NULL)
		return keys_recovery_new_shares(o);
	if (keys_opt(o, "--shares") != NULL || keys_opt(o, "--threshold") != NULL)
		return -1;
	return keys_recovery_new_dev(o);
}

static int
keys_recovery_new_dev(const struct keys_opts *o)
{
	unsigned char	 pk[crypto_box_PUBLICKEYBYTES];
	unsigned char	*sk;
	int		 rc = -1;

	if ((sk = sodium_malloc(crypto_box_SECRETKEYBYTES)) == NULL)
		return -1;
	if (crypto_box_keypair(pk, sk) == 0 &&
	    keys_write_pair(keys_opt(o, "--out"), sk, crypto_box_SECRETKEYBYTES,
	    pk, sizeof(pk)) == 0)
		rc = 0;
	sodium_free(sk);
	return rc;
}

/* --- desk certify ---------------------------------------------------------- */

/* The whole file at path, NUL-terminated (free()), or NULL. */
static char *
keys_read_file(const char *path, size_t *len)
{
	FILE	*fp;
	char	*buf = NULL;
	size_t	 n = 0, cap = 0, r;

	if ((fp = fopen(path, "r")) == NULL)
		return NULL;
	for (;;) {
		if (n + 4096 + 1 > cap) {
			char *p;

			if (cap >= KEYS_MAX_INPUT ||
			    (p = realloc(buf, cap + 65536)) == NULL)
				goto fail;
			buf = p;
			cap += 65536;
		}
		r = fread(buf + n, 1, 4096, fp);
		n += r;
		if (r < 4096)
			break;
	}
	if (ferror(fp))
		goto fail;
	fclose(fp);
	buf[n] = '\0';
	*len = n;
	return buf;
fail:
	fclose(fp);
	free(buf);
	return NULL;
}

/* A scope list ("*" or an array of ids) into ids. Returns n, or -1. */
static int
keys_scope(const cJSON *v, const char **ids, size_t max)
{
	const cJSON	*c;
	size_t		 n = 0;

	if (cJSON_IsString(v) && strcmp(v->valuestring, "*") == 0) {
		ids[0] = "*";
		return 1;
	}
	if (!cJSON_IsArray(v))
		return -1;
	cJSON_ArrayForEach(c, v) {
		if (!cJSON_IsString(c) || n == max)
			return -1;
		ids[n++] = c->valuestring;
	}
	return (int)n;
}

/* Print s with control characters replaced: names come from the server. */
static void
keys_print_safe(FILE *fp, const char *s)
{
	for (; *s != '\0'; s++)
		fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, fp);
}

static void
keys_print_list(FILE *fp, const char *const *ids, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			fputc(',', fp);
		keys_print_safe(fp, ids[i]);
	}
}

/* Ask on the terminal; 1 for yes. Without a terminal: no. */
static int
keys_confirm(void)
{
	FILE	*tty;
	char	 line[16];
	int	 yes = 0;

	if ((tty = fopen("/dev/tty", "r+")) == NULL)
		return 0;
	fputs("Does this fingerprint match what the adviser read out? [y/N] ",
	    tty);
	fflush(tty);
	if (fgets(line, sizeof(line), tty) != NULL &&
	    (line[0] == 'y' || line[0] == 'Y'))
		yes = 1;
	fclose(tty);
	return yes;
}

struct keys_request {
	const char		*orgs[KEYS_MAX_SCOPE], *topics[KEYS_MAX_SCOPE];
	struct seal_cert	 c;
};

/* Fill r from one pending request object. 0, or -1 (malformed). */
static int
keys_request_parse(const cJSON *item, const char *not_after,
    struct keys_request *r)
{
	const cJSON	*id, *name, *role, *scope, *enc, *sig;
	int		 no, nt;

	memset(r, 0, sizeof(*r));
	id = cJSON_GetObjectItemCaseSensitive(item, "id");
	name = cJSON_GetObjectItemCaseSensitive(item, "name");
	role = cJSON_GetObjectItemCaseSensitive(item, "role");
	scope = cJSON_GetObjectItemCaseSensitive(item, "scope");
	enc = cJSON_GetObjectItemCaseSensitive(item, "encryption_public_key");
	sig = cJSON_GetObjectItemCaseSensitive(item, "sign_public_key");
	if (!cJSON_IsString(id) || !cJSON_IsString(name) ||
	    !cJSON_IsString(role) || !cJSON_IsObject(scope) ||
	    !cJSON_IsString(enc) || !cJSON_IsString(sig) ||
	    json_in_b64(enc->valuestring, r->c.encryption_public_key, 32) != 0 ||
	    json_in_b64(sig->valuestring, r->c.sign_public_key, 32) != 0)
		return -1;
	no = keys_scope(cJSON_GetObjectItemCaseSensitive(scope,
	    "organisations"), r->orgs, KEYS_MAX_SCOPE);
	nt = keys_scope(cJSON_GetObjectItemCaseSensitive(scope, "topics"),
	    r->topics, KEYS_MAX_SCOPE);
	if (no < 1 || nt < 1)
		return -1;
	r->c.id = id->valuestring;
	r->c.name = name->valuestring;
	r->c.role = role->valuestring;
	r->c.organisations = r->orgs;
	r->c.norganisations = (size_t)no;
	r->c.topics = r->topics;
	r->c.ntopics = (size_t)nt;
	r->c.not_after = not_after;
	return 0;
}

/* Show one request with its fingerprint; 0, or -1. */
static int
keys_request_show(const struct keys_request *r)
{
	char fp[SEAL_FINGERPRINT_LEN + 1];

	if (seal_fingerprint(fp, r->c.encryption_public_key,
	    r->c.sign_public_key) != 0)
		return -1;
	fputs("\naccount:     ", stderr);
	keys_print_safe(stderr, r->c.id);
	fputs("\nname:        ", stderr);
	keys_print_safe(stderr, r->c.name);
	fputs("\nrole:        ", stderr);
	keys_print_safe(stderr, r->c.role);
	fputs("\norganisations: ", stderr);
	keys_print_list(stderr, r->orgs, r->c.norganisations);
	fputs("\ntopics:      ", stderr);
	keys_print_list(stderr, r->topics, r->c.ntopics);
	fprintf(stderr, "\nnot after:   %s\nfingerprint: %s\n", r->c.not_after,
	    fp);
	return 0;
}

/* Sign one request and append the answer to out. 0, or -1. */
static int
keys_request_sign(const struct keys_request *r, const unsigned char *sk,
    cJSON *out)
{
	unsigned char	 sig[SEAL_SIG_BYTES];
	char		 b64[128];
	cJSON		*o;

	if (seal_certificate_sign(sig, &r->c, sk) != 0 ||
	    (o = cJSON_CreateObject()) == NULL)
		return -1;
	if (!cJSON_AddItemToArray(out, o) ||
	    cJSON_AddStringToObject(o, "id", r->c.id) == NULL)
		return -1;
	sodium_bin2base64(b64, sizeof(b64), r->c.encryption_public_key, 32,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	if (cJSON_AddStringToObject(o, "encryption_public_key", b64) == NULL ||
	    cJSON_AddStringToObject(o, "not_after", r->c.not_after) == NULL)
		return -1;
	sodium_bin2base64(b64, sizeof(b64), sig, sizeof(sig),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return cJSON_AddStringToObject(o, "certificate", b64) == NULL ? -1 : 0;
}

static int
keys_write_text(const char *path, const char *text)
{
	FILE	*fp;
	int	 rc = 0;

	if ((fp = fopen(path, "w")) == NULL)
		return -1;
	if (fputs(text, fp) == EOF || fputc('\n', fp) == EOF)
		rc = -1;
	if (fclose(fp) == EOF)
		rc = -1;
	return rc;
}

/* Certify each request of pending with sk into a new array. */
static cJSON *
keys_certify_all(const cJSON *pending, const unsigned char *sk,
    const char *not_after, int yes, int *signed_n)
{
	struct keys_request	*r;
	const cJSON		*item;
	cJSON			*out;

	*signed_n = 0;
	if ((r = malloc(sizeof(*r))) == NULL)
		return NULL;
	if ((out = cJSON_CreateArray()) == NULL)
		goto fail;
	cJSON_ArrayForEach(item, pending) {
		if (keys_request_parse(item, not_after, r) == -1 ||
		    keys_request_show(r) == -1) {
			fprintf(stderr, "desk certify: a malformed request\n");
			goto fail;
		}
		if (!yes && !keys_confirm()) {
			fprintf(stderr, "desk certify: skipped\n");
			continue;
		}
		if (keys_request_sign(r, sk, out) == -1) {
			fprintf(stderr, "desk certify: cannot sign (bad name, "
			    "role, scope or date?)\n");
			goto fail;
		}
		(*signed_n)++;
	}
	free(r);
	return out;
fail:
	free(r);
	cJSON_Delete(out);
	return NULL;
}

static int
keys_desk_certify(const struct keys_opts *o)
{
	unsigned char	*sk = NULL;
	char		*text = NULL, *json = NULL;
	const char	*not_after = keys_opt(o, "--not-after");
	cJSON		*pending = NULL, *out = NULL;
	size_t		 len;
	int		 n, rc = -1;

	if ((sk = sodium_malloc(crypto_sign_SECRETKEYBYTES)) == NULL)
		return -1;
	if (keyfile_read(keys_opt(o, "--key"), sk,
	    crypto_sign_SECRETKEYBYTES) == -1) {
		fprintf(stderr, "desk certify: cannot read the key file\n");
		goto out;
	}
	if ((text = keys_read_file(keys_opt(o, "--in"), &len)) == NULL ||
	    (pending = cJSON_ParseWithLength(text, len)) == NULL ||
	    !cJSON_IsArray(pending)) {
		fprintf(stderr, "desk certify: cannot read the requests\n");
		goto out;
	}
	if ((out = keys_certify_all(pending, sk, not_after,
	    keys_opt(o, "--yes") != NULL, &n)) == NULL ||
	    (json = cJSON_PrintUnformatted(out)) == NULL ||
	    keys_write_text(keys_opt(o, "--out"), json) == -1)
		goto out;
	fprintf(stderr, "desk certify: %d certificates written\n", n);
	rc = 0;
out:
	sodium_free(sk);
	free(text);
	cJSON_free(json);
	cJSON_Delete(pending);
	cJSON_Delete(out);
	return rc;
}

/* --- dispatch ------------------------------------------------------------------ */

static const struct keys_command keys_commands[] = {
	{ "desk", "new", "desk new --out FILE", { "--out" }, { NULL },
	    keys_desk_new, { NULL }, NULL },
	{ "desk", "certify", "desk certify --in PENDING.json --key FILE "
	    "--not-after YYYY-MM-DD --out CERTS.json [--yes]",
	    { "--in", "--key", "--not-after", "--out" }, { "--yes" },
	    keys_desk_certify, { NULL }, NULL },
	{ "recovery", "new", "recovery new --shares N --threshold T --out DIR",
	    { "--out" }, { "--dev" }, keys_recovery_new,
	    { "--shares", "--threshold" }, NULL },
	{ "recovery", "rewrap", "recovery rewrap --share FILE [--share FILE...] "
	    "--in EXPORT.json --to ADVISER.json --cert-key CERT.pub --out IMPORT.json",
	    { "--in", "--to", "--cert-key", "--out" }, { NULL },
	    keys_recovery_rewrap, { NULL }, "--share" },
};

#define KEYS_NCOMMANDS	(sizeof(keys_commands) / sizeof(keys_commands[0]))

static int
keys_is(const char *const *list, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n && list[i] != NULL; i++)
		if (strcmp(list[i], name) == 0)
			return 1;
	return 0;
}

/* Parse argv into o per cmd: every required option once, flags known. */
static int
keys_parse(const struct keys_command *cmd, int argc, char *argv[],
    struct keys_opts *o)
{
	int i;

	o->n = 0;
	for (i = 0; i < argc; i++) {
		int repeated = cmd->repeated != NULL &&
		    strcmp(cmd->repeated, argv[i]) == 0;

		if (o->n == KEYS_MAX_OPTS ||
		    (!repeated && keys_opt(o, argv[i]) != NULL))
			return -1;
		o->name[o->n] = argv[i];
		o->value[o->n] = NULL;
		if (repeated || keys_is(cmd->required, 4, argv[i]) ||
		    keys_is(cmd->optional, 4, argv[i])) {
			if (i + 1 >= argc)
				return -1;
			o->value[o->n] = argv[++i];
		} else if (!keys_is(cmd->flags, 4, argv[i]))
			return -1;
		o->n++;
	}
	for (i = 0; i < 4 && cmd->required[i] != NULL; i++)
		if (keys_opt(o, cmd->required[i]) == NULL)
			return -1;
	if (cmd->repeated != NULL && keys_opt(o, cmd->repeated) == NULL)
		return -1;
	return 0;
}

static void
keys_usage(void)
{
	size_t i;

	for (i = 0; i < KEYS_NCOMMANDS; i++)
		fprintf(stderr, "%s meldpunt-keys %s\n", i == 0 ? "usage:" : "      ",
		    keys_commands[i].usage);
}

int
main(int argc, char *argv[])
{
	struct keys_opts	o;
	size_t			i;

	if (sodium_init() < 0)
		return 1;
	json_mem_init();
	for (i = 0; argc >= 3 && i < KEYS_NCOMMANDS; i++) {
		if (strcmp(argv[1], keys_commands[i].group) != 0 ||
		    strcmp(argv[2], keys_commands[i].verb) != 0)
			continue;
		if (keys_parse(&keys_commands[i], argc - 3, argv + 3, &o) == -1)
			break;
		return keys_commands[i].run(&o) == 0 ? 0 : 1;
	}
	keys_usage();
	return 2;
}
