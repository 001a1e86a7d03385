/*
 * handler_partition.c — the Hive metastore methods of this area (see handler.h for how a handler
 * file installs its methods). Nothing yet: every method here answers UNKNOWN_METHOD.
 */
#include "thrift/handler.h"

static const char *const partition_methods[] = {NULL};

/* Sets this file's slots in the handler class. */
void thrift_partition_install(ThriftHiveMetastoreHandlerClass *klass)
{
}

/* The wire names this file answers. */
const char *const *thrift_partition_methods(guint *n)
{
	*n = 0;
	return partition_methods;
}
