// zlib's deflate and CRC-32 (Debian: zlib1g-dev), seen only by the ZipArchive module.
#ifndef SOZMON_CDEFLATE_SHIM_H
#define SOZMON_CDEFLATE_SHIM_H
#include <zlib.h>
#endif
