/*
 * app.h - what every handler may read: the settings and the desk keys.
 * Filled once by main before the server starts; read-only afterwards.
 */
#ifndef MELDPUNT_APP_H
#define MELDPUNT_APP_H

struct config;
struct secrets;

struct app {
	const struct config	*cfg;
	const struct secrets	*secrets;
};

extern struct app app;

#endif
