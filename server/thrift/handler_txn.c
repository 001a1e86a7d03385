/*
 * handler_txn.c — the Hive metastore methods of this area (see handler.h for how a handler
 * file installs its methods). Nothing yet: every method here answers UNKNOWN_METHOD.
 */
#include "thrift/handler.h"

static const char *const txn_methods[] = {NULL};

/* Sets this file's slots in the handler class. */
void thrift_txn_install(ThriftHiveMetastoreHandlerClass *klass)
{
}

/* The wire names this file answers. */
const char *const *thrift_txn_methods(guint *n)
{
	*n = 0;
	return txn_methods;
}
