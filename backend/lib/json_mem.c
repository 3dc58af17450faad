/*
 * json_mem.c - cJSON's memory is wiped when freed.
 *
 * With hooks of its own, cJSON grows its print buffers by allocating anew
 * and freeing the old one (through the hook) rather than with realloc, so
 * no copy is left behind unwiped.
 */
#include <malloc.h>
#include <stdlib.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "json_mem.h"

void
json_mem_wipe(void *p)
{
	if (p != NULL)
		sodium_memzero(p, malloc_usable_size(p));
}

static void
json_mem_free(void *p)
{
	json_mem_wipe(p);
	free(p);
}

void
json_mem_init(void)
{
	cJSON_Hooks hooks = { malloc, json_mem_free };

	cJSON_InitHooks(&hooks);
}
