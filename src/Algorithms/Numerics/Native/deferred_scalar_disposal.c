/*
 * libShapingTorchSharp.so: libLibTorchSharp.so with one entry point replaced. TorchSharp's P/Invokes are routed
 * here (ScalarLifetime.cs installs the resolver); every symbol but THSTorch_dispose_scalar resolves to
 * libLibTorchSharp.so through this library's DT_NEEDED entry.
 *
 * Why: TorchSharp 0.107 passes implicitly created Scalars (the alpha of `a + b`, Adam's coefficients...) to
 * native calls without GC.KeepAlive. A garbage collection during such a call can find the Scalar dead, and the
 * finalizer thread then frees it while libtorch is still reading it ("Expected false to be true" from
 * Scalar::toFloat, or silently a wrong value). Here a disposed Scalar is freed only after it has been dead for
 * DELAY_NS, far longer than any native call holds one.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define CAPACITY (1u << 20) /* pending Scalars; when full the oldest is freed early */
#define DELAY_NS 2000000000LL

typedef void (*dispose_scalar_fn)(void *);

struct pending { void *scalar; long long since; };

static struct pending *queue;
static unsigned long long head, tail; /* head: next slot to fill; tail: oldest pending */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static dispose_scalar_fn dispose_now;

static long long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

__attribute__((visibility("default"))) void THSTorch_dispose_scalar(void *scalar)
{
    pthread_mutex_lock(&lock);
    if (!dispose_now) {
        dispose_now = (dispose_scalar_fn)dlsym(RTLD_NEXT, "THSTorch_dispose_scalar");
        queue = malloc(sizeof(struct pending) * CAPACITY);
        if (!dispose_now || !queue) {
            fprintf(stderr, "libShapingTorchSharp: cannot find THSTorch_dispose_scalar in libLibTorchSharp.so\n");
            abort();
        }
    }
    long long now = now_ns();
    while (head != tail && (now - queue[tail % CAPACITY].since >= DELAY_NS || head - tail == CAPACITY)) {
        dispose_now(queue[tail % CAPACITY].scalar);
        tail++;
    }
    queue[head % CAPACITY] = (struct pending){ scalar, now };
    head++;
    pthread_mutex_unlock(&lock);
}

/* For tests: how many disposed Scalars wait to be freed, and how many were freed since the process started. */
__attribute__((visibility("default"))) unsigned long long shaping_pending_scalars(void)
{
    pthread_mutex_lock(&lock);
    unsigned long long n = head - tail;
    pthread_mutex_unlock(&lock);
    return n;
}

__attribute__((visibility("default"))) unsigned long long shaping_freed_scalars(void)
{
    pthread_mutex_lock(&lock);
    unsigned long long n = tail;
    pthread_mutex_unlock(&lock);
    return n;
}
