/*
 * <math.h> of the component runtime (lib/fp/math.c): for now the functions
 * whose result is exact or correctly rounded by one instruction, equal to
 * the C library's bit for bit. Not there yet: exp, log, pow and the
 * trigonometric functions.
 */
#pragma once

#define HUGE_VAL (__builtin_huge_val())
#define INFINITY (__builtin_inff())
#define NAN (__builtin_nanf(""))
#define isnan(x) __builtin_isnan(x)
#define isinf(x) __builtin_isinf(x)
#define isfinite(x) __builtin_isfinite(x)
#define signbit(x) __builtin_signbit(x)

double fabs(double x);
double copysign(double x, double y);
double trunc(double x);
double floor(double x);
double ceil(double x);
double round(double x);
double sqrt(double x);
double fmin(double x, double y);
double fmax(double x, double y);
double fmod(double x, double y);
double ldexp(double x, int n);
double frexp(double x, int *e);
double modf(double x, double *ip);
