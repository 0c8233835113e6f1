/* fo_pair: two sides' jobs at once (see fo_pair.h). */
#include "fo_pair.h"

#include <pthread.h>

void fo_pair_run(void *(*fn)(void *), void *first, void *second) {
  pthread_t th;
  int threaded = pthread_create(&th, NULL, fn, second) == 0;
  fn(first);
  if (threaded)
    pthread_join(th, NULL);
  else
    fn(second);
}
