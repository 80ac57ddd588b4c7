double hypot2(double x, double y);
