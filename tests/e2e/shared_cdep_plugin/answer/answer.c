#include "tests/e2e/shared_cdep_plugin/answer/answer.h"

int answer_times(int x) { return 42 * x; }
