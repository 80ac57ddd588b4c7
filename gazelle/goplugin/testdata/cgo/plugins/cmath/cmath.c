#include <math.h>
#include "cmath.h"

double hypot2(double x, double y) { return sqrt(x * x + y * y); }
