#include "scale.h"

/* Built by cc_library in the non-plugin configuration and linked into the plugin. */
int scale(int x) { return x * 10; }
