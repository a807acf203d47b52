namespace Chatterfy.Postbacks.Sqlite;

/// <summary>
/// The schema, as an ordered list of migrations. The database's <c>PRAGMA user_version</c> is the number of the last
/// migration applied; at startup the store applies the ones after it, each in its own transaction. To change the
/// schema, append a migration with the next number; never edit one that has shipped.
/// </summary>
/// <remarks>
/// Conventions: times are INTEGER, UTC, in 100-nanosecond ticks since the Unix epoch (exactly what a
/// <see cref="DateTimeOffset"/> holds; <c>datetime(x / 10000000, 'unixepoch')</c> reads them); time spans are INTEGER
/// ticks; amounts are TEXT in the invariant culture (exact decimals); JSON is TEXT; ids, tokens and keys are TEXT with
/// the default BINARY (ordinal) collation. Tables are STRICT so a value of the wrong type is refused.
/// </remarks>
internal static class SqliteSchema
{
    /// <summary>The migrations, in order; <see cref="Migration.Version"/> is its position plus one.</summary>
    public static IReadOnlyList<Migration> Migrations { get; } =
    [
        new(1, "postback sets, tokens, clicks, conversions and the postback log", V1),
        new(2, "forwarding rules, campaigns, outbox messages and their attempts", V2),
        new(3, "one index on (click id, idempotency key) finds duplicates and a click's conversions, instead of two", V3),
        new(4, "daily conversion roll-ups for the stats, filled from the stored conversions", V4, SqliteConversionRollups.Fill),
        new(5, "attribution windows on postback sets and campaigns, and whether a conversion came after its window", V5),
        new(6, "reporting amounts on conversions and their sums in the daily roll-ups (existing rows get none)", V6),
        new(7, "subject bindings: the one click of a chat user in a campaign", SubjectBindings),
        new(8, "deposit numbers on conversions and log entries, the credited deposits numbered per click", DepositNumbers, SqliteDepositNumbers.Fill),
        new(9, "rule filters on forwarding rules: events and a deposit-number range (existing rules get none)", RuleFilters),
        new(10, "reconciliations: each set's report layout and the kept reports", Reconciliations),
        new(11, "deposit-number buckets in the daily roll-ups (repeat deposits 2, 3, 4+), refilled from the stored conversions", RepeatDeposits, SqliteConversionRollups.Refill),
        new(12, "conversion statuses: the status maps of postback sets, a status on every conversion (existing ones approved), its history, and the log outcome changed", Statuses, SqliteStatuses.AllowChangedOutcome),
        new(13, "an index of conversions by set and transaction id, for reconciliation's look-ups", TransactionIds),
        new(14, "conversion statuses in the daily roll-ups (existing rows approved), refilled from the stored conversions", RollupStatuses, SqliteConversionRollups.RefillWithStatuses),
        new(15, "status filters on forwarding rules: the statuses a rule forwards each entry into (existing rules get none: the first approval only)", RuleStatuses),
        new(16, "an index of each set's conversions whose status word was unknown, for the status remap", UnknownStatusWords),
    ];

    /// <summary>The schema version this code writes.</summary>
    public static int LatestVersion => Migrations.Count;

    // docs/storage-sqlite.md quotes this text verbatim (a test checks it): update both together.
    private const string V1 = """
        CREATE TABLE postback_sets (
            id                         TEXT    NOT NULL PRIMARY KEY,
            name                       TEXT    NOT NULL,
            network_id                 TEXT    NOT NULL,
            campaign_id                TEXT,
            token                      TEXT    NOT NULL,
            settings                   TEXT,
            created_at                 INTEGER NOT NULL,
            enabled                    INTEGER NOT NULL CHECK (enabled IN (0, 1)),
            previous_token             TEXT,
            previous_token_valid_until INTEGER,
            deleted                    INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
        ) STRICT;

        CREATE INDEX ix_postback_sets_created_at ON postback_sets (created_at, id) WHERE deleted = 0;

        CREATE TABLE postback_set_tokens (
            token  TEXT NOT NULL PRIMARY KEY,
            set_id TEXT NOT NULL REFERENCES postback_sets (id)
        ) STRICT, WITHOUT ROWID;

        CREATE INDEX ix_postback_set_tokens_set_id ON postback_set_tokens (set_id);

        CREATE TABLE clicks (
            id               TEXT    NOT NULL PRIMARY KEY,
            campaign_id      TEXT,
            subject_id       TEXT,
            fbclid           TEXT,
            fbc              TEXT,
            fbp              TEXT,
            ip_address       TEXT,
            user_agent       TEXT,
            event_source_url TEXT,
            created_at       INTEGER NOT NULL,
            fields           TEXT    NOT NULL
        ) STRICT;

        CREATE INDEX ix_clicks_created_at ON clicks (created_at);
        CREATE INDEX ix_clicks_campaign_id_created_at ON clicks (campaign_id, created_at);

        CREATE TABLE conversions (
            id                 TEXT    NOT NULL PRIMARY KEY,
            set_id             TEXT    NOT NULL,
            event              TEXT    NOT NULL,
            click_id           TEXT    NOT NULL,
            amount             TEXT,
            currency           TEXT,
            transaction_id     TEXT,
            attributes         TEXT    NOT NULL,
            received_at        INTEGER NOT NULL,
            remote_address     TEXT,
            idempotency_key    TEXT    NOT NULL,
            idempotency_window INTEGER,
            attribution        TEXT    NOT NULL CHECK (attribution IN ('credited', 'unattributed')),
            campaign_id        TEXT
        ) STRICT;

        CREATE INDEX ix_conversions_idempotency_key ON conversions (idempotency_key, received_at, id);
        CREATE INDEX ix_conversions_click_id ON conversions (click_id, received_at, id);
        CREATE INDEX ix_conversions_received_at ON conversions (received_at);
        CREATE INDEX ix_conversions_set_id_received_at ON conversions (set_id, received_at);
        CREATE INDEX ix_conversions_campaign_id_received_at ON conversions (campaign_id, received_at);

        CREATE TABLE postback_log (
            id             TEXT    NOT NULL PRIMARY KEY,
            received_at    INTEGER NOT NULL,
            set_id         TEXT    NOT NULL,
            outcome        TEXT    NOT NULL CHECK (outcome IN ('accepted', 'duplicate', 'unattributed', 'rejected')),
            code           TEXT,
            warnings       TEXT    NOT NULL,
            conversion_id  TEXT,
            method         TEXT    NOT NULL,
            path           TEXT    NOT NULL,
            event_segment  TEXT,
            query_string   TEXT    NOT NULL,
            body           TEXT,
            content_type   TEXT,
            remote_address TEXT
        ) STRICT;

        CREATE INDEX ix_postback_log_order ON postback_log (received_at DESC, id DESC);
        CREATE INDEX ix_postback_log_set_id_order ON postback_log (set_id, received_at DESC, id DESC);
        CREATE INDEX ix_postback_log_outcome_order ON postback_log (outcome, received_at DESC, id DESC);
        """;

    // docs/storage-sqlite.md quotes this text verbatim (a test checks it): update both together.
    private const string V2 = """
        CREATE TABLE forwarding_rules (
            id             TEXT    NOT NULL PRIMARY KEY,
            name           TEXT,
            set_id         TEXT,
            campaign_id    TEXT,
            destination_id TEXT    NOT NULL,
            settings       TEXT    NOT NULL,
            created_at     INTEGER NOT NULL
        ) STRICT;

        CREATE INDEX ix_forwarding_rules_created_at ON forwarding_rules (created_at, id);

        CREATE TABLE campaigns (
            id                   TEXT    NOT NULL PRIMARY KEY,
            name                 TEXT,
            destination_template TEXT    NOT NULL,
            created_at           INTEGER NOT NULL
        ) STRICT;

        CREATE TABLE outbox_messages (
            id               TEXT    NOT NULL PRIMARY KEY,
            conversion_id    TEXT    NOT NULL,
            rule_id          TEXT    NOT NULL,
            destination_id   TEXT    NOT NULL,
            created_at       INTEGER NOT NULL,
            status           TEXT    NOT NULL CHECK (status IN ('pending', 'delivered', 'dead-lettered')),
            next_attempt_at  INTEGER NOT NULL,
            retry_from       INTEGER NOT NULL,
            attempt_count    INTEGER NOT NULL,
            last_error_code  TEXT,
            last_error       TEXT,
            completed_at     INTEGER,
            lease_id         TEXT,
            lease_expires_at INTEGER
        ) STRICT;

        CREATE INDEX ix_outbox_messages_due ON outbox_messages (status, next_attempt_at, id);
        CREATE INDEX ix_outbox_messages_order ON outbox_messages (created_at DESC, id DESC);
        CREATE INDEX ix_outbox_messages_conversion_id_order ON outbox_messages (conversion_id, created_at DESC, id DESC);
        CREATE INDEX ix_outbox_messages_rule_id_order ON outbox_messages (rule_id, created_at DESC, id DESC);

        CREATE TABLE outbox_attempts (
            message_id        TEXT    NOT NULL REFERENCES outbox_messages (id),
            number            INTEGER NOT NULL,
            started_at        INTEGER NOT NULL,
            duration          INTEGER NOT NULL,
            status            TEXT    NOT NULL CHECK (status IN ('delivered', 'retry', 'dead-letter')),
            http_status_code  INTEGER,
            error_code        TEXT,
            reason            TEXT,
            response_excerpt  TEXT,
            destination_error TEXT,
            PRIMARY KEY (message_id, number)
        ) STRICT, WITHOUT ROWID;
        """;

    // docs/storage-sqlite.md quotes this text verbatim (a test checks it): update both together.
    // Duplicate detection looks a key up under its click id (the SDK's keys contain it, see IngestStore.AppendAsync), so
    // one index serves it and the listing of a click's conversions: one B-tree page written at a random place per
    // conversion instead of two. Nothing else changes: no row is rewritten.
    private const string V3 = """
        DROP INDEX ix_conversions_idempotency_key;
        DROP INDEX ix_conversions_click_id;
        CREATE INDEX ix_conversions_click_key ON conversions (click_id, idempotency_key, received_at);
        """;

    // docs/storage-sqlite.md quotes this text verbatim (a test checks it): update both together.
    // The stats read whole UTC days here instead of visiting every conversion (SqliteLogStore.Figures.cs); the writer
    // keeps them in the transaction that writes or credits the conversions (SqliteConversionRollups). Amounts are exact
    // decimals as TEXT, added in C#. After the statements, the migration fills the table from the stored conversions.
    private const string V4 = """
        CREATE TABLE conversion_rollups (
            day         INTEGER NOT NULL,
            set_id      TEXT    NOT NULL,
            campaign_id TEXT,
            event       TEXT    NOT NULL,
            attribution TEXT    NOT NULL CHECK (attribution IN ('credited', 'unattributed')),
            currency    TEXT,
            count       INTEGER NOT NULL CHECK (count > 0),
            amount      TEXT    NOT NULL
        ) STRICT;

        CREATE INDEX ix_conversion_rollups_key ON conversion_rollups (day, set_id, campaign_id, event, attribution, currency);
        """;

    // docs/storage-sqlite.md quotes this text verbatim (a test checks it): update both together.
    // Windows are off (NULL) on every existing set and campaign, and no existing conversion came after one: nothing is
    // rewritten beyond the new columns' values.
    private const string V5 = """
        ALTER TABLE postback_sets ADD COLUMN attribution_window_seconds INTEGER CHECK (attribution_window_seconds > 0);
        ALTER TABLE campaigns ADD COLUMN attribution_window_seconds INTEGER CHECK (attribution_window_seconds > 0);
        ALTER TABLE conversions ADD COLUMN attribution_window_passed INTEGER NOT NULL DEFAULT 0 CHECK (attribution_window_passed IN (0, 1));
        """;

    // docs/storage-sqlite.md quotes this text verbatim (a test checks it): update both together.
    // The reporting currency (ChatterfyPostbacksOptions.ReportingCurrency): the amount converted at ingest with its rate
    // and the rate's day (days since the Unix epoch, as the roll-ups' day). Existing conversions get none (the recompute
    // fills them, ix_conversions_reporting_missing finds them), so the roll-ups' new columns are right as added: no
    // reporting currency and a sum of 0. The roll-up key gains the reporting currency.
    private const string V6 = """
        ALTER TABLE conversions ADD COLUMN reporting_amount TEXT;
        ALTER TABLE conversions ADD COLUMN reporting_currency TEXT;
        ALTER TABLE conversions ADD COLUMN reporting_rate TEXT;
        ALTER TABLE conversions ADD COLUMN reporting_rate_date INTEGER;
        CREATE INDEX ix_conversions_reporting_missing ON conversions (id) WHERE amount IS NOT NULL AND reporting_amount IS NULL;

        ALTER TABLE conversion_rollups ADD COLUMN reporting_currency TEXT;
        ALTER TABLE conversion_rollups ADD COLUMN reporting_amount TEXT NOT NULL DEFAULT '0';
        DROP INDEX ix_conversion_rollups_key;
        CREATE INDEX ix_conversion_rollups_key ON conversion_rollups (day, set_id, campaign_id, event, attribution, currency, reporting_currency);
        """;

    // Bindings start empty: a subject's first GetOrCreateForSubjectAsync binds its oldest click of the campaign, which the
    // index finds; clicks keep every value.
    private const string SubjectBindings = """
        CREATE TABLE subject_bindings (
            subject_id  TEXT    NOT NULL,
            campaign_id TEXT    NOT NULL,
            click_id    TEXT    NOT NULL REFERENCES clicks (id),
            bound_at    INTEGER NOT NULL,
            PRIMARY KEY (subject_id, campaign_id)
        ) STRICT, WITHOUT ROWID;

        CREATE INDEX ix_clicks_subject_id_campaign_id ON clicks (subject_id, campaign_id, created_at, id) WHERE subject_id IS NOT NULL;
        """;

    // The number a credited first deposit or deposit took among its click's deposits (DepositNumbering), and the number a
    // log entry's answer carried. After the statements, the migration numbers the stored credited deposits per click.
    private const string DepositNumbers = """
        ALTER TABLE conversions ADD COLUMN deposit_number INTEGER CHECK (deposit_number > 0);
        ALTER TABLE postback_log ADD COLUMN deposit_number INTEGER CHECK (deposit_number > 0);
        """;

    // Rule filters (ForwardingRuleFilter): the events as a JSON array of canonical names, NULL for every event; the
    // deposit-number range's bounds, NULL when open (both NULL: no range).
    private const string RuleFilters = """
        ALTER TABLE forwarding_rules ADD COLUMN filter_events TEXT;
        ALTER TABLE forwarding_rules ADD COLUMN filter_deposit_number_min INTEGER CHECK (filter_deposit_number_min > 0);
        ALTER TABLE forwarding_rules ADD COLUMN filter_deposit_number_max INTEGER
            CHECK (filter_deposit_number_max > 0 AND filter_deposit_number_max >= coalesce(filter_deposit_number_min, 1));
        """;

    // Each set's report layout and the kept reports (ReconciliationStore), as JSON text with the summary beside the
    // report so that listing never reads the row lists. Both start empty: a set without a layout uses the generic one.
    private const string Reconciliations = """
        CREATE TABLE reconciliation_layouts (
            set_id TEXT NOT NULL PRIMARY KEY,
            layout TEXT NOT NULL
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE reconciliations (
            id         TEXT    NOT NULL PRIMARY KEY,
            set_id     TEXT    NOT NULL,
            created_at INTEGER NOT NULL,
            summary    TEXT    NOT NULL,
            report     TEXT    NOT NULL
        ) STRICT;

        CREATE INDEX ix_reconciliations_set_id ON reconciliations (set_id, id);
        """;

    // The stats' repeat deposits (PostbackStats.RepeatDeposits): the roll-up key gains the deposit number's bucket
    // (DepositNumbering.StatsBucket: the number up to 4, NULL without one). Existing rows mix the buckets of their
    // conversions, so the table is emptied here and the migration fills it again from the stored conversions.
    private const string RepeatDeposits = """
        ALTER TABLE conversion_rollups ADD COLUMN deposit_bucket INTEGER CHECK (deposit_bucket > 0);
        DROP INDEX ix_conversion_rollups_key;
        CREATE INDEX ix_conversion_rollups_key ON conversion_rollups (day, set_id, campaign_id, event, attribution, currency, reporting_currency, deposit_bucket);
        DELETE FROM conversion_rollups;
        """;

    // Conversion statuses. A set's status map is JSON (ConversionStatusMap.ToJson); NULL, every existing set's, is the
    // default map. Every existing conversion is approved (what it counted as) with no word and no history. After the
    // statements, the migration lets the log's outcome CHECK accept 'changed' (SqliteStatuses).
    private const string Statuses = """
        ALTER TABLE postback_sets ADD COLUMN status_map TEXT;
        ALTER TABLE conversions ADD COLUMN status TEXT NOT NULL DEFAULT 'approved' CHECK (status IN ('approved', 'pending', 'rejected', 'chargeback'));
        ALTER TABLE conversions ADD COLUMN status_word TEXT;
        ALTER TABLE conversions ADD COLUMN status_word_unknown INTEGER NOT NULL DEFAULT 0 CHECK (status_word_unknown IN (0, 1));
        CREATE INDEX ix_conversions_status_received_at ON conversions (status, received_at) WHERE status <> 'approved';

        CREATE TABLE conversion_status_history (
            id            TEXT    NOT NULL PRIMARY KEY,
            conversion_id TEXT    NOT NULL REFERENCES conversions (id),
            at            INTEGER NOT NULL,
            from_status   TEXT    NOT NULL CHECK (from_status IN ('approved', 'pending', 'rejected', 'chargeback')),
            to_status     TEXT    NOT NULL CHECK (to_status IN ('approved', 'pending', 'rejected', 'chargeback')),
            word          TEXT    NOT NULL,
            log_entry_id  TEXT    NOT NULL
        ) STRICT;

        CREATE INDEX ix_conversion_status_history_conversion_id ON conversion_status_history (conversion_id, at, id);

        ALTER TABLE outbox_messages ADD COLUMN history_entry_id TEXT;
        """;

    // Reconciliation looks a batch of report rows' transaction ids up in their set (IngestStore.ListConversionsToMatchAsync);
    // only conversions with a transaction id have an entry. Building it reads the table once; no row changes.
    private const string TransactionIds = """
        CREATE INDEX ix_conversions_set_id_transaction_id ON conversions (set_id, transaction_id) WHERE transaction_id IS NOT NULL;
        """;

    // The stats by status (PostbackStats.Statuses, CurrencyAmounts.Chargebacks): the roll-up key gains the conversion's
    // current status; a status change moves its conversion from one row to another. Existing rows are approved (every
    // conversion was, up to the statuses' migration), but rows of conversions stored since then mix statuses, so the
    // table is emptied here and the migration fills it again from the stored conversions.
    private const string RollupStatuses = """
        ALTER TABLE conversion_rollups ADD COLUMN status TEXT NOT NULL DEFAULT 'approved' CHECK (status IN ('approved', 'pending', 'rejected', 'chargeback'));
        DROP INDEX ix_conversion_rollups_key;
        CREATE INDEX ix_conversion_rollups_key ON conversion_rollups (day, set_id, campaign_id, event, attribution, currency, reporting_currency, deposit_bucket, status);
        DELETE FROM conversion_rollups;
        """;

    // Rule status filters (ForwardingRuleFilter.Statuses): a JSON array of status names, NULL (every existing rule's) for
    // the first approval only.
    private const string RuleStatuses = """
        ALTER TABLE forwarding_rules ADD COLUMN filter_statuses TEXT;
        """;

    // The status remap (PostbackIngestor.RemapStatusesAsync) lists a set's conversions whose status word was unknown, newest
    // first (IngestStore.ListConversionsAsync with ConversionListQuery.StatusWordUnknown): only those have an entry, so the
    // read is proportional to them, not to the set. Building it reads the table once; no row changes.
    private const string UnknownStatusWords = """
        CREATE INDEX ix_conversions_set_id_unknown_word ON conversions (set_id, received_at, id) WHERE status_word_unknown = 1;
        """;

    /// <summary>One schema step.</summary>
    /// <param name="Version">The <c>user_version</c> after it.</param>
    /// <param name="Description">What it does, for the startup log.</param>
    /// <param name="Sql">The statements, run in one transaction.</param>
    /// <param name="Fill">What it then writes that SQL alone cannot (exact sums), in the same transaction; or <see langword="null"/>.</param>
    internal sealed record Migration(int Version, string Description, string Sql, Action<Microsoft.Data.Sqlite.SqliteConnection, Microsoft.Data.Sqlite.SqliteTransaction>? Fill = null);
}
