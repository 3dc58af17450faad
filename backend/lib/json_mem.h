/*
 * json_mem.h - cJSON's memory is wiped when freed.
 *
 * Request bodies carry auth keys, TOTP codes and invitation secrets;
 * responses carry session tokens. cJSON copies each string into memory of
 * its own, and frees it without wiping: json_mem_init makes every cJSON
 * free wipe the whole allocation first.
 */
#ifndef MELDPUNT_JSON_MEM_H
#define MELDPUNT_JSON_MEM_H

/* json_mem_init: install the wiping hooks; call before any cJSON use. */
void	json_mem_init(void);

/* json_mem_wipe: zero all of p's allocation (from malloc) without freeing. */
void	json_mem_wipe(void *p);

#endif
