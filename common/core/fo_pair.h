/* fo_pair: run the same job for two inputs at once (the primary's and the
 * secondary's side), the second on a thread of its own, both done on return. */
#ifndef FO_PAIR_H
#define FO_PAIR_H

/* Calls fn(first) on this thread and fn(second) on a new one, and returns when
 * both have returned; when no thread can be started, fn(second) runs here
 * after fn(first). Results travel in what the arguments point to. */
void fo_pair_run(void *(*fn)(void *), void *first, void *second);

#endif
