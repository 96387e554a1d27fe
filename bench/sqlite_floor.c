/*
 * The SQLite floor of one `get_resource`: the statements the server runs for one answer, run from C
 * on one warm connection, with no server, no JSON and no pipe. What is left of a round trip above
 * this (and above a `ping` round trip) is the server's own work.
 *
 *   cc -O2 -o sqlite_floor bench/sqlite_floor.c -lsqlite3
 *   sqlite_floor STORE IDS_FILE        (one resource id per line; prints one JSON object)
 *
 * The statements mirror the read path and must be kept in step with it:
 *   ResourceSQL.byId and ResourceSQL.columnsById (the parent chain, one lookup per level),
 *   StoreReader.agents(onHosts:) and connections(rootedAt:) (one lookup per chain id),
 *   ResourceSQL.childCounts, StoreReader.alerts(on:) (a probe, then the ordered join),
 *   RecoveryPointRow.recoverySummarySQL and StoreReader.metrics(of:),
 * all inside one BEGIN ... COMMIT, each prepared once. Every column of every row is read as text.
 * Memory statistics are off, as in the server (SQLiteLibrary).
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define COLUMNS "id, type, platform, name, status, powerState, technology, parentId, cpu, memoryUsage, diskUsage, lastSeen"
#define RECOVERY_COLUMNS "id, resourceId, platform, kind, at, sizeBytes, verified"
#define MAX_CHAIN 16

enum { BEGIN, COMMIT, BY_ID, COLUMNS_BY_ID, AGENTS, CONNECTIONS, CHILD_COUNTS, ANY_ALERT, ALERTS, RECOVERY, METRICS, COUNT };

static const char *sql[COUNT] = {
    [BEGIN] = "BEGIN",
    [COMMIT] = "COMMIT",
    [BY_ID] = "SELECT " COLUMNS ", record FROM resource WHERE id = ?",
    [COLUMNS_BY_ID] = "SELECT " COLUMNS " FROM resource WHERE id = ?",
    [AGENTS] = "SELECT id, hostResourceId, endpoint, commandsEnabled, lastHeartbeat FROM agent WHERE hostResourceId = ?",
    [CONNECTIONS] = "SELECT id, platform, rootResourceId, endpoint, controlEnabled FROM platformConnection WHERE rootResourceId = ?",
    [CHILD_COUNTS] = "SELECT type, count(*) FROM resource WHERE parentId = ? GROUP BY type ORDER BY type",
    [ANY_ALERT] = "SELECT 1 FROM alert WHERE resourceId = ? LIMIT 1",
    [ALERTS] = "SELECT a.id, a.resourceId, a.severity, a.message, a.since, r.name, r.type, r.platform "
               "FROM alert a JOIN resource r ON r.id = a.resourceId WHERE a.resourceId = ? "
               "ORDER BY CASE a.severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, a.since DESC, a.id LIMIT 21",
    [RECOVERY] = "SELECT * FROM (SELECT " RECOVERY_COLUMNS ", (SELECT count(*) FROM recoveryPoint WHERE resourceId = ?1) "
                 "FROM recoveryPoint WHERE resourceId = ?1 ORDER BY at DESC, id LIMIT 1) "
                 "UNION ALL SELECT * FROM (SELECT " RECOVERY_COLUMNS ", NULL "
                 "FROM recoveryPoint WHERE resourceId = ?1 AND verified = 1 ORDER BY at DESC, id LIMIT 1)",
    [METRICS] = "SELECT metric, first, last, count FROM metricSeries WHERE resourceId = ? ORDER BY metric",
};

static sqlite3_stmt *statement[COUNT];

static void fail(sqlite3 *db, const char *what) {
    fprintf(stderr, "sqlite_floor: %s: %s\n", what, sqlite3_errmsg(db));
    exit(1);
}

/* Steps `which` with `id` bound (NULL: no argument), reading every column; returns the row count.
 * When `parent` is given, the first row's column 7 (parentId) is copied into it ("" when null). */
static int run(sqlite3 *db, int which, const char *id, char *parent, size_t parentSize) {
    sqlite3_stmt *s = statement[which];
    if (id) sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    int rows = 0, code;
    while ((code = sqlite3_step(s)) == SQLITE_ROW) {
        int columns = sqlite3_column_count(s);
        for (int c = 0; c < columns; c++) (void)sqlite3_column_text(s, c);
        if (parent && rows == 0) {
            const unsigned char *text = sqlite3_column_text(s, 7);
            snprintf(parent, parentSize, "%s", text ? (const char *)text : "");
        }
        rows++;
    }
    if (code != SQLITE_DONE) fail(db, sql[which]);
    sqlite3_reset(s);
    return rows;
}

/* One answer's statements for `id`. */
static void answer(sqlite3 *db, const char *id) {
    char chain[MAX_CHAIN + 1][512]; /* the resource, then its ancestors nearest first */
    char parent[512], next[512];
    int length = 0;
    run(db, BEGIN, NULL, NULL, 0);
    if (run(db, BY_ID, id, parent, sizeof parent) == 1) {
        snprintf(chain[length++], sizeof chain[0], "%s", id);
        /* Up the chain until a missing parent, a repeat or MAX_CHAIN ancestors. */
        while (length <= MAX_CHAIN && parent[0] != '\0') {
            int repeat = 0;
            for (int i = 0; i < length; i++) repeat |= strcmp(chain[i], parent) == 0;
            if (repeat || run(db, COLUMNS_BY_ID, parent, next, sizeof next) == 0) break;
            snprintf(chain[length++], sizeof chain[0], "%s", parent);
            snprintf(parent, sizeof parent, "%s", next);
        }
        for (int i = 0; i < length; i++) run(db, AGENTS, chain[i], NULL, 0);
        for (int i = 0; i < length; i++) run(db, CONNECTIONS, chain[i], NULL, 0);
        run(db, CHILD_COUNTS, id, NULL, 0);
        if (run(db, ANY_ALERT, id, NULL, 0) > 0) run(db, ALERTS, id, NULL, 0);
        run(db, RECOVERY, id, NULL, 0);
        run(db, METRICS, id, NULL, 0);
    }
    run(db, COMMIT, NULL, NULL, 0);
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static int ascending(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: sqlite_floor STORE IDS_FILE\n");
        return 2;
    }
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite3 *db;
    if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) fail(db, argv[1]);
    for (int i = 0; i < COUNT; i++) {
        if (sqlite3_prepare_v3(db, sql[i], -1, SQLITE_PREPARE_PERSISTENT, &statement[i], NULL) != SQLITE_OK) fail(db, sql[i]);
    }

    FILE *file = fopen(argv[2], "r");
    if (!file) {
        perror(argv[2]);
        return 1;
    }
    size_t count = 0, capacity = 1024;
    char **ids = malloc(capacity * sizeof *ids);
    char line[1024];
    while (fgets(line, sizeof line, file)) {
        line[strcspn(line, "\n")] = '\0';
        if (line[0] == '\0') continue;
        if (count == capacity) ids = realloc(ids, (capacity *= 2) * sizeof *ids);
        ids[count++] = strdup(line);
    }
    fclose(file);
    if (count == 0) {
        fprintf(stderr, "sqlite_floor: no ids in %s\n", argv[2]);
        return 1;
    }

    /* A warm-up pass, then each answer timed on its own. */
    for (size_t i = 0; i < count; i++) answer(db, ids[i]);
    double *samples = malloc(count * sizeof *samples), total = 0;
    for (size_t i = 0; i < count; i++) {
        double started = now();
        answer(db, ids[i]);
        samples[i] = now() - started;
        total += samples[i];
    }
    qsort(samples, count, sizeof *samples, ascending);
    printf("{\"answers\": %zu, \"median_seconds\": %.9f, \"mean_seconds\": %.9f, \"p99_seconds\": %.9f}\n", count,
           samples[count / 2], total / count, samples[(size_t)(count * 0.99)]);
    return 0;
}
