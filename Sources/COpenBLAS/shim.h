// The only C that sozmon sees: CBLAS and LAPACKE with 32-bit integers, as Debian's OpenBLAS builds them.
// Complex LAPACKE types are plain structs here: sozmon uses only the real (double) routines.
#ifndef SOZMON_COPENBLAS_SHIM_H
#define SOZMON_COPENBLAS_SHIM_H
typedef struct { float real, imag; } sozmon_complex_float;
typedef struct { double real, imag; } sozmon_complex_double;
#define lapack_complex_float sozmon_complex_float
#define lapack_complex_double sozmon_complex_double
#include <cblas.h>
#include <lapacke.h>
#endif
