// SQLite 3 (Debian: libsqlite3-dev), seen only by the GeoPackage module.
#ifndef SOZMON_CSQLITE_SHIM_H
#define SOZMON_CSQLITE_SHIM_H
#include <sqlite3.h>

/// SQLITE_TRANSIENT (a macro Swift cannot import): SQLite copies a bound text or blob before the call returns.
static inline sqlite3_destructor_type sozmon_sqlite_transient(void) { return SQLITE_TRANSIENT; }
#endif
