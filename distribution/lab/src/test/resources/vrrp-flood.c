/*
 * vrrp-flood: the junk sender of the lab's FloodBenchmark (issue 8, item 7). Runs inside the attacker network
 * namespace of the lab, sends IPv4 protocol 112 to 224.0.0.18 on one interface (SO_BINDTODEVICE), TTL 255, from a
 * documentation source address, and stops at SIGTERM/SIGINT or after the given time. Prints what it sent.
 *
 *   vrrp-flood IFNAME SRC KIND VERSION VRID PASS RATE SECONDS
 *     KIND     random    random bytes (8..64) as protocol 112
 *              badpass   well-formed VRRPv2 adverts for VRID, priority 254, PASS auth with a wrong password
 *              badsum    adverts for VRID, priority 254, right password (v2), the VRRP checksum wrong
 *              othervrid well-formed adverts (right checksum and password) for every VRID but VRID, priority 254
 *     VERSION  2 or 3 (the adverts' version; v2 carries PASS auth with PASS)
 *     RATE     packets per second; 0 = as fast as it can (sendmmsg batches of 64)
 *
 * Build: gcc -O2 -o vrrp-flood vrrp-flood.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAXPKT 96
#define NPKT 4096
#define BATCH 64

static volatile sig_atomic_t stop_now;

static void on_signal(int sig) {
    (void) sig;
    stop_now = 1;
}

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000000000ull + (uint64_t) ts.tv_nsec;
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next_rand(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* one's complement sum over bytes, folded */
static uint32_t sum16(const uint8_t *p, size_t n, uint32_t acc) {
    for (size_t i = 0; i + 1 < n; i += 2) {
        acc += (uint32_t) (p[i] << 8 | p[i + 1]);
    }
    if (n & 1) {
        acc += (uint32_t) (p[n - 1] << 8);
    }
    return acc;
}

static uint16_t fold(uint32_t acc) {
    while (acc >> 16) {
        acc = (acc & 0xffff) + (acc >> 16);
    }
    return (uint16_t) ~acc;
}

struct pkt {
    uint8_t data[MAXPKT];
    size_t len;
};

/* IPv4 header (kernel fills total length, checksum and ID with IP_HDRINCL) followed by the payload */
static size_t ip_header(uint8_t *p, struct in_addr src, struct in_addr dst, size_t payload) {
    memset(p, 0, 20);
    p[0] = 0x45;
    p[1] = 0xc0;
    uint16_t tot = htons((uint16_t) (20 + payload));
    memcpy(p + 2, &tot, 2);
    p[8] = 255;
    p[9] = 112;
    memcpy(p + 12, &src, 4);
    memcpy(p + 16, &dst, 4);
    return 20;
}

/* a VRRP advert for vrid at priority prio with one address; checksum right or wrong */
static size_t advert(uint8_t *p, int version, int vrid, int prio, const char *pass, int good_sum, struct in_addr src,
        struct in_addr dst) {
    uint8_t *v = p + 20;
    size_t len;
    struct in_addr vip;
    inet_pton(AF_INET, "198.51.100.0", &vip);
    vip.s_addr = htonl(ntohl(vip.s_addr) + (uint32_t) (vrid & 0xff));
    if (version == 2) {
        len = 20;
        memset(v, 0, len);
        v[0] = 0x21;
        v[1] = (uint8_t) vrid;
        v[2] = (uint8_t) prio;
        v[3] = 1;
        v[4] = 1; /* PASS */
        v[5] = 1; /* 1 s */
        memcpy(v + 8, &vip, 4);
        strncpy((char *) v + 12, pass, 8);
        uint16_t c = fold(sum16(v, len, 0));
        if (!good_sum) {
            c ^= 0x5a5a;
        }
        v[6] = (uint8_t) (c >> 8);
        v[7] = (uint8_t) c;
    } else {
        len = 12;
        memset(v, 0, len);
        v[0] = 0x31;
        v[1] = (uint8_t) vrid;
        v[2] = (uint8_t) prio;
        v[3] = 1;
        v[4] = 0;
        v[5] = 100; /* 100 centiseconds */
        memcpy(v + 8, &vip, 4);
        uint8_t pseudo[12];
        memcpy(pseudo, &src, 4);
        memcpy(pseudo + 4, &dst, 4);
        pseudo[8] = 0;
        pseudo[9] = 112;
        pseudo[10] = 0;
        pseudo[11] = (uint8_t) len;
        uint16_t c = fold(sum16(v, len, sum16(pseudo, 12, 0)));
        if (!good_sum) {
            c ^= 0x5a5a;
        }
        v[6] = (uint8_t) (c >> 8);
        v[7] = (uint8_t) c;
    }
    ip_header(p, src, dst, len);
    return 20 + len;
}

int main(int argc, char **argv) {
    if (argc != 9) {
        fprintf(stderr, "usage: %s IFNAME SRC KIND VERSION VRID PASS RATE SECONDS\n", argv[0]);
        return 2;
    }
    const char *ifname = argv[1];
    const char *kind = argv[3];
    int version = atoi(argv[4]);
    int vrid = atoi(argv[5]);
    const char *pass = argv[6];
    double rate = atof(argv[7]);
    double seconds = atof(argv[8]);
    struct in_addr src, dst;
    if (inet_pton(AF_INET, argv[2], &src) != 1) {
        fprintf(stderr, "bad source %s\n", argv[2]);
        return 2;
    }
    inet_pton(AF_INET, "224.0.0.18", &dst);
    rng ^= (uint64_t) getpid() << 32 ^ now_ns();

    static struct pkt pkts[NPKT];
    int npkt = 0;
    if (strcmp(kind, "random") == 0) {
        for (; npkt < NPKT; npkt++) {
            size_t len = 8 + next_rand() % 57;
            for (size_t i = 0; i < len; i++) {
                pkts[npkt].data[20 + i] = (uint8_t) next_rand();
            }
            ip_header(pkts[npkt].data, src, dst, len);
            pkts[npkt].len = 20 + len;
        }
    } else if (strcmp(kind, "badpass") == 0) {
        pkts[0].len = advert(pkts[0].data, 2, vrid, 254, "wrong!pw", 1, src, dst);
        npkt = 1;
    } else if (strcmp(kind, "badsum") == 0) {
        pkts[0].len = advert(pkts[0].data, version, vrid, 254, pass, 0, src, dst);
        npkt = 1;
    } else if (strcmp(kind, "othervrid") == 0) {
        for (int v = 1; v <= 255; v++) {
            if (v != vrid) {
                pkts[npkt].len = advert(pkts[npkt].data, version, v, 254, pass, 1, src, dst);
                npkt++;
            }
        }
    } else {
        fprintf(stderr, "unknown kind %s\n", kind);
        return 2;
    }

    int fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
    if (fd < 0) {
        perror("socket");
        return 1;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &one, sizeof one);
    if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, (socklen_t) strlen(ifname)) < 0) {
        perror("SO_BINDTODEVICE");
        return 1;
    }
    if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &src, sizeof src) < 0) {
        perror("IP_MULTICAST_IF");
        return 1;
    }
    int zero = 0;
    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &zero, sizeof zero);
    int sndbuf = 4 << 20;
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);

    struct sockaddr_in to;
    memset(&to, 0, sizeof to);
    to.sin_family = AF_INET;
    to.sin_addr = dst;

    struct mmsghdr msgs[BATCH];
    struct iovec iov[BATCH];
    uint64_t sent = 0, errors = 0;
    uint64_t start = now_ns();
    uint64_t end = start + (uint64_t) (seconds * 1e9);
    int next = 0;
    printf("vrrp-flood %s %s v%d vrid %d rate %.0f for %.1f s from %s on %s\n", kind, strcmp(kind, "random") == 0 ? ""
            : "adverts", version, vrid, rate, seconds, argv[2], ifname);
    fflush(stdout);
    while (!stop_now) {
        uint64_t t = now_ns();
        if (t >= end) {
            break;
        }
        int n;
        if (rate > 0) {
            uint64_t due = (uint64_t) ((double) (t - start) * rate / 1e9) + 1;
            n = due > sent ? (int) (due - sent) : 0;
            if (n == 0) {
                struct timespec ts = {0, 1000000}; /* 1 ms */
                uint64_t wait = (uint64_t) ((double) (sent) * 1e9 / rate) + start;
                if (wait > t && wait - t < 1000000) {
                    ts.tv_nsec = (long) (wait - t);
                }
                nanosleep(&ts, NULL);
                continue;
            }
            if (n > BATCH) {
                n = BATCH;
            }
        } else {
            n = BATCH;
        }
        for (int i = 0; i < n; i++) {
            struct pkt *pk = &pkts[next];
            next = (next + 1) % npkt;
            iov[i].iov_base = pk->data;
            iov[i].iov_len = pk->len;
            memset(&msgs[i].msg_hdr, 0, sizeof msgs[i].msg_hdr);
            msgs[i].msg_hdr.msg_name = &to;
            msgs[i].msg_hdr.msg_namelen = sizeof to;
            msgs[i].msg_hdr.msg_iov = &iov[i];
            msgs[i].msg_hdr.msg_iovlen = 1;
        }
        int r = sendmmsg(fd, msgs, (unsigned) n, 0);
        if (r < 0) {
            if (errno == EINTR) {
                continue;
            }
            errors++;
            if (errno == ENOBUFS || errno == EAGAIN) {
                sched_yield();
                continue;
            }
            perror("sendmmsg");
            break;
        }
        sent += (uint64_t) r;
    }
    double el = (double) (now_ns() - start) / 1e9;
    printf("sent %llu packets in %.3f s = %.0f pps, errors %llu\n", (unsigned long long) sent, el, el > 0 ? sent / el : 0,
            (unsigned long long) errors);
    fflush(stdout);
    close(fd);
    return 0;
}
