// The driver is libFuzzer's own (see include/CFuzzerDriver.h); this target only declares it.
#include "CFuzzerDriver.h"
