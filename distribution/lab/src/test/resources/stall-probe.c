/*
 * The machine's own stalls, with their times (SoakBenchmark): a thread at SCHED_FIFO PRIORITY with its
 * memory locked sleeps to absolute CLOCK_MONOTONIC deadlines INTERVAL_US apart for SECONDS (cyclictest's
 * method), pinned to CPU when one is given, and prints every wake-up later than THRESHOLD_US as
 *   stall REALTIME_US LATE_US CPU
 * (REALTIME_US: the wall-clock time of the late wake-up, comparable with tcpdump's stamps; CPU: the one it
 * is pinned to, -1 when not pinned), then
 *   max LATE_US wakeups N
 *   stall-probe PRIORITY INTERVAL_US SECONDS THRESHOLD_US [CPU]
 * One probe per CPU tells a stall of the whole guest (every probe late at once) from one vCPU's.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

static long long ns(const struct timespec *t) { return t->tv_sec * 1000000000LL + t->tv_nsec; }

int main(int argc, char **argv) {
    if (argc != 5 && argc != 6) {
        fprintf(stderr, "usage: stall-probe PRIORITY INTERVAL_US SECONDS THRESHOLD_US [CPU]\n");
        return 2;
    }
    int cpu = argc == 6 ? atoi(argv[5]) : -1;
    if (cpu >= 0) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(cpu, &set);
        if (sched_setaffinity(0, sizeof set, &set) != 0) {
            perror("sched_setaffinity");
            return 1;
        }
    }
    int priority = atoi(argv[1]);
    long long interval = atoll(argv[2]) * 1000LL, end, threshold = atoll(argv[4]) * 1000LL, max = 0, n = 0;
    struct sched_param sp;
    memset(&sp, 0, sizeof sp);
    sp.sched_priority = priority;
    if (priority > 0 && sched_setscheduler(0, SCHED_FIFO, &sp) != 0) {
        perror("sched_setscheduler");
        return 1;
    }
    if (mlockall(MCL_CURRENT | MCL_FUTURE) != 0) {
        perror("mlockall");
        return 1;
    }
    struct timespec next, now, wall;
    clock_gettime(CLOCK_MONOTONIC, &next);
    end = ns(&next) + atoll(argv[3]) * 1000000000LL;
    setvbuf(stdout, NULL, _IOLBF, 0);
    for (;;) {
        long long due = ns(&next) + interval;
        next.tv_sec = due / 1000000000LL;
        next.tv_nsec = due % 1000000000LL;
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
        clock_gettime(CLOCK_MONOTONIC, &now);
        clock_gettime(CLOCK_REALTIME, &wall);
        long long late = ns(&now) - due;
        n++;
        if (late > max) {
            max = late;
        }
        if (late > threshold) {
            printf("stall %lld %lld %d\n", ns(&wall) / 1000, late / 1000, cpu);
        }
        if (ns(&now) >= end) {
            break;
        }
        if (late > interval) {
            /* as cyclictest does: the next deadline from now, not a burst of missed ones */
            next = now;
        }
    }
    printf("max %lld wakeups %lld\n", max / 1000, n);
    return 0;
}
