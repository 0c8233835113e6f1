/* fo_release_compat: glibc 2.36's arc4random, linked into the release binaries only (FO_RELEASE_STATIC,
 * cmake/FoReleaseStatic.cmake). Debian 12's static libstdc++ calls it (std::random_device, under gRPC); with
 * it defined here the binaries need glibc 2.35, not 2.36, so Ubuntu 22.04 runs them too. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/random.h>

uint32_t arc4random(void);

uint32_t arc4random(void) {
  uint32_t v;
  ssize_t n;

  do {
    n = getrandom(&v, sizeof v, 0);
  } while (n < 0 && errno == EINTR);
  /* glibc's own arc4random aborts too when the kernel gives no randomness: no caller checks */
  if (n != (ssize_t)sizeof v)
    abort();
  return v;
}
