// GLPK 5 (Debian: libglpk-dev), seen only by the IntegerProgramming module.
#ifndef SOZMON_CGLPK_SHIM_H
#define SOZMON_CGLPK_SHIM_H
#include <glpk.h>
#endif
