#include "tests/core/shared_cdep_plugin/answer/answer.h"

int answer_times(int x) { return 42 * x; }
