/*
 * app.c - the one instance of what every layer above may read (app.h),
 * filled by cmd/main.c before anything else starts.
 */
#include "app.h"

struct app app;
