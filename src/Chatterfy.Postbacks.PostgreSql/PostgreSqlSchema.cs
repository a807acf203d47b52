namespace Chatterfy.Postbacks.PostgreSql;

/// <summary>
/// The store's versioned schema. Migration <c>n</c> turns version <c>n - 1</c> into version <c>n</c>; applied migrations
/// are recorded in <c>schema_version</c>. Never edit a released migration: add the next one. <c>docs/storage.md</c>
/// shows this SQL as executed (with the default schema name).
/// </summary>
internal static class PostgreSqlSchema
{
    /// <summary>Stands for the quoted schema name in the SQL below.</summary>
    public const string Placeholder = "{schema}";

    /// <summary>The table that records applied migrations; created before any migration runs.</summary>
    public const string VersionTable = """
        CREATE TABLE IF NOT EXISTS {schema}.schema_version (
            version    integer     NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT schema_version_pkey PRIMARY KEY (version)
        );
        """;

    /// <summary>Migration 1: the schema.</summary>
    public const string Migration1 = """
        -- Postback sets. A deleted set keeps its row (deleted = true) so its id stays used for good.
        CREATE TABLE {schema}.postback_sets (
            id                         text COLLATE "C" NOT NULL,
            name                       text             NOT NULL,
            network_id                 text             NOT NULL,
            campaign_id                text COLLATE "C",
            token                      text COLLATE "C" NOT NULL,
            previous_token             text COLLATE "C",
            previous_token_valid_until timestamptz,
            settings                   jsonb,
            created_at                 timestamptz      NOT NULL,
            enabled                    boolean          NOT NULL,
            deleted                    boolean          NOT NULL DEFAULT false,
            CONSTRAINT postback_sets_pkey PRIMARY KEY (id)
        );

        -- Every token any set ever had (current, rotated away, or a deleted set's): reserved for good.
        CREATE TABLE {schema}.postback_set_tokens (
            token  text COLLATE "C" NOT NULL,
            set_id text COLLATE "C" NOT NULL,
            CONSTRAINT postback_set_tokens_pkey PRIMARY KEY (token),
            CONSTRAINT postback_set_tokens_set_fkey FOREIGN KEY (set_id) REFERENCES {schema}.postback_sets (id)
        );

        CREATE TABLE {schema}.clicks (
            id               text COLLATE "C" NOT NULL,
            campaign_id      text COLLATE "C",
            subject_id       text,
            fbclid           text,
            fbc              text,
            fbp              text,
            ip_address       inet,
            user_agent       text,
            event_source_url text,
            created_at       timestamptz      NOT NULL,
            fields           jsonb            NOT NULL,
            CONSTRAINT clicks_pkey PRIMARY KEY (id)
        );
        CREATE INDEX clicks_created_at ON {schema}.clicks (created_at);
        CREATE INDEX clicks_campaign_created_at ON {schema}.clicks (campaign_id, created_at);

        -- Conversions are never deleted. Amounts are exact: at most 12 integer and 8 decimal digits, as AmountParser
        -- reads them, and kept with the scale they were written with (12.50 stays 12.50).
        CREATE TABLE {schema}.conversions (
            id                 text COLLATE "C" NOT NULL,
            set_id             text COLLATE "C" NOT NULL,
            event_kind         text             NOT NULL,
            event_name         text             NOT NULL,
            click_id           text COLLATE "C" NOT NULL,
            amount             numeric,
            currency           text COLLATE "C",
            transaction_id     text,
            attributes         jsonb            NOT NULL,
            received_at        timestamptz      NOT NULL,
            remote_address     inet,
            idempotency_key    text COLLATE "C" NOT NULL,
            idempotency_window interval,
            attribution        text             NOT NULL,
            campaign_id        text COLLATE "C",
            CONSTRAINT conversions_pkey PRIMARY KEY (id),
            CONSTRAINT conversions_event_kind_check CHECK (event_kind IN ('registration', 'first_deposit', 'deposit', 'custom')),
            CONSTRAINT conversions_amount_check CHECK (amount = round(amount, 8) AND abs(amount) < 1000000000000),
            CONSTRAINT conversions_attribution_check CHECK (attribution IN ('credited', 'unattributed'))
        );
        -- A key without a window de-duplicates forever: the unique index settles concurrent appends on any instance.
        CREATE UNIQUE INDEX conversions_permanent_key ON {schema}.conversions (idempotency_key) WHERE idempotency_window IS NULL;
        -- Finds the earliest conversion with a key (within a window), for keys of both kinds.
        CREATE INDEX conversions_key_received_at ON {schema}.conversions (idempotency_key, received_at, id);
        CREATE INDEX conversions_click_received_at ON {schema}.conversions (click_id, received_at, id);
        CREATE INDEX conversions_received_at ON {schema}.conversions (received_at);

        -- The postback log: every processed request, newest first; purged by retention.
        CREATE TABLE {schema}.postback_log (
            id                     text COLLATE "C" NOT NULL,
            received_at            timestamptz      NOT NULL,
            set_id                 text COLLATE "C" NOT NULL,
            outcome                text             NOT NULL,
            code                   text,
            warnings               text[]           NOT NULL,
            conversion_id          text COLLATE "C",
            request_method         text             NOT NULL,
            request_path           text             NOT NULL,
            request_event_segment  text,
            request_query_string   text             NOT NULL,
            request_body           text,
            request_content_type   text,
            request_remote_address inet,
            CONSTRAINT postback_log_pkey PRIMARY KEY (id),
            CONSTRAINT postback_log_outcome_check CHECK (outcome IN ('accepted', 'duplicate', 'unattributed', 'rejected'))
        );
        CREATE INDEX postback_log_received_at ON {schema}.postback_log (received_at DESC, id DESC);
        CREATE INDEX postback_log_set_received_at ON {schema}.postback_log (set_id, received_at DESC, id DESC);
        CREATE INDEX postback_log_rejected_received_at ON {schema}.postback_log (received_at) WHERE outcome = 'rejected';
        """;

    /// <summary>Migration 2: forwarding rules, campaigns and the outbox.</summary>
    public const string Migration2 = """
        -- Forwarding rules. Settings are kept as the exact JSON text given (text, not jsonb, which would reorder keys and
        -- refuse the escape \u0000): they may hold secrets and are handed back to the destination byte for byte.
        CREATE TABLE {schema}.forwarding_rules (
            id             text COLLATE "C" NOT NULL,
            name           text,
            set_id         text COLLATE "C",
            campaign_id    text COLLATE "C",
            destination_id text COLLATE "C" NOT NULL,
            settings       text             NOT NULL,
            created_at     timestamptz      NOT NULL,
            CONSTRAINT forwarding_rules_pkey PRIMARY KEY (id)
        );

        -- Tracker campaigns. A deleted campaign's row is gone: its id may be used again.
        CREATE TABLE {schema}.campaigns (
            id                   text COLLATE "C" NOT NULL,
            name                 text,
            destination_template text             NOT NULL,
            created_at           timestamptz      NOT NULL,
            CONSTRAINT campaigns_pkey PRIMARY KEY (id)
        );

        -- The outbox: one row per conversion and forwarding rule, written in the conversion's transaction. A dispatcher
        -- leases due rows (lease_id, lease_expires_at) with FOR UPDATE SKIP LOCKED. Rows outlive their rule.
        CREATE TABLE {schema}.outbox_messages (
            id               text COLLATE "C" NOT NULL,
            conversion_id    text COLLATE "C" NOT NULL,
            rule_id          text COLLATE "C" NOT NULL,
            destination_id   text COLLATE "C" NOT NULL,
            created_at       timestamptz      NOT NULL,
            status           text             NOT NULL,
            next_attempt_at  timestamptz      NOT NULL,
            retry_from       timestamptz      NOT NULL,
            attempt_count    integer          NOT NULL,
            last_error_code  text,
            last_error       text,
            completed_at     timestamptz,
            lease_id         text COLLATE "C",
            lease_expires_at timestamptz,
            CONSTRAINT outbox_messages_pkey PRIMARY KEY (id),
            CONSTRAINT outbox_messages_conversion_fkey FOREIGN KEY (conversion_id) REFERENCES {schema}.conversions (id),
            CONSTRAINT outbox_messages_status_check CHECK (status IN ('pending', 'delivered', 'dead_lettered'))
        );
        -- What a dispatcher leases: pending rows, earliest due first.
        CREATE INDEX outbox_messages_due ON {schema}.outbox_messages (next_attempt_at, id) WHERE status = 'pending';
        CREATE INDEX outbox_messages_created_at ON {schema}.outbox_messages (created_at DESC, id DESC);
        CREATE INDEX outbox_messages_conversion ON {schema}.outbox_messages (conversion_id, created_at DESC, id DESC);
        CREATE INDEX outbox_messages_rule ON {schema}.outbox_messages (rule_id, created_at DESC, id DESC);

        -- Every recorded delivery attempt of an outbox message. destination_error_transient is NULL when the destination
        -- reported no error of its own.
        CREATE TABLE {schema}.outbox_attempts (
            message_id                  text COLLATE "C" NOT NULL,
            number                      integer          NOT NULL,
            started_at                  timestamptz      NOT NULL,
            duration                    interval         NOT NULL,
            status                      text             NOT NULL,
            http_status_code            integer,
            error_code                  text,
            reason                      text,
            response_excerpt            text,
            destination_error_code      text,
            destination_error_subcode   text,
            destination_error_type      text,
            destination_error_message   text,
            destination_error_trace_id  text,
            destination_error_transient boolean,
            CONSTRAINT outbox_attempts_pkey PRIMARY KEY (message_id, number),
            CONSTRAINT outbox_attempts_message_fkey FOREIGN KEY (message_id) REFERENCES {schema}.outbox_messages (id),
            CONSTRAINT outbox_attempts_status_check CHECK (status IN ('delivered', 'retry', 'dead_letter'))
        );
        """;

    /// <summary>
    /// Migration 3: the stored words every store writes (<see cref="Storage.StoredWords"/>). Versions 1 and 2 wrote
    /// <c>first_deposit</c>, <c>dead_lettered</c> and <c>dead_letter</c>; the rows keep everything else.
    /// </summary>
    public const string Migration3 = """
        -- The stored words of every store (Chatterfy.Postbacks.Storage.StoredWords): first-deposit, dead-lettered and
        -- dead-letter were written with underscores before. Each check is dropped, the rows rewritten, the check added back.
        ALTER TABLE {schema}.conversions DROP CONSTRAINT conversions_event_kind_check;
        UPDATE {schema}.conversions SET event_kind = 'first-deposit' WHERE event_kind = 'first_deposit';
        ALTER TABLE {schema}.conversions ADD CONSTRAINT conversions_event_kind_check
            CHECK (event_kind IN ('registration', 'first-deposit', 'deposit', 'custom'));

        ALTER TABLE {schema}.outbox_messages DROP CONSTRAINT outbox_messages_status_check;
        UPDATE {schema}.outbox_messages SET status = 'dead-lettered' WHERE status = 'dead_lettered';
        ALTER TABLE {schema}.outbox_messages ADD CONSTRAINT outbox_messages_status_check
            CHECK (status IN ('pending', 'delivered', 'dead-lettered'));

        ALTER TABLE {schema}.outbox_attempts DROP CONSTRAINT outbox_attempts_status_check;
        UPDATE {schema}.outbox_attempts SET status = 'dead-letter' WHERE status = 'dead_letter';
        ALTER TABLE {schema}.outbox_attempts ADD CONSTRAINT outbox_attempts_status_check
            CHECK (status IN ('delivered', 'retry', 'dead-letter'));
        """;

    /// <summary>
    /// Migration 4: daily conversion roll-ups, which the stats read for whole UTC days instead of every conversion
    /// (<see cref="PostgreSqlConversionRollups"/>), filled from the stored conversions (a <c>GROUP BY</c>: exact on
    /// <c>numeric</c>). Needs PostgreSQL 15 (<c>NULLS NOT DISTINCT</c>: a conversion without a campaign or currency has one row).
    /// </summary>
    public const string Migration4 = """
        -- Daily conversion roll-ups: per UTC day, set, campaign, event kind, attribution and currency, how many conversions
        -- and the exact sum of their amounts (0 for none). The batch that writes conversions adds to them in its
        -- transaction; crediting conversions to a late click moves them. A row may count 0 (all its conversions moved).
        -- No check on count: an upsert checks the row it would insert, and a move inserts a negative change.
        CREATE TABLE {schema}.conversion_rollups (
            day         date             NOT NULL,
            set_id      text COLLATE "C" NOT NULL,
            campaign_id text COLLATE "C",
            event_kind  text             NOT NULL,
            attribution text             NOT NULL,
            currency    text COLLATE "C",
            count       bigint           NOT NULL,
            amount      numeric          NOT NULL,
            CONSTRAINT conversion_rollups_key UNIQUE NULLS NOT DISTINCT (day, set_id, campaign_id, event_kind, attribution, currency)
        );
        INSERT INTO {schema}.conversion_rollups (day, set_id, campaign_id, event_kind, attribution, currency, count, amount)
        SELECT (received_at AT TIME ZONE 'UTC')::date, set_id, campaign_id, event_kind, attribution, currency, count(*), COALESCE(sum(amount), 0)
        FROM {schema}.conversions
        GROUP BY 1, 2, 3, 4, 5, 6;
        """;

    /// <summary>
    /// Migration 5: attribution windows on postback sets and campaigns (off on every existing one), and whether a stored
    /// conversion came after its window (none of the existing ones did). Adding a nullable column, or one with a constant
    /// default, rewrites no row.
    /// </summary>
    public const string Migration5 = """
        ALTER TABLE {schema}.postback_sets ADD COLUMN attribution_window_seconds bigint
            CONSTRAINT postback_sets_attribution_window_seconds_check CHECK (attribution_window_seconds > 0);
        ALTER TABLE {schema}.campaigns ADD COLUMN attribution_window_seconds bigint
            CONSTRAINT campaigns_attribution_window_seconds_check CHECK (attribution_window_seconds > 0);
        -- Late attribution never credits a conversion that came after its window.
        ALTER TABLE {schema}.conversions ADD COLUMN attribution_window_passed boolean NOT NULL DEFAULT false;
        """;

    /// <summary>
    /// Migration 6: the reporting currency. A conversion keeps the amount converted at ingest with its rate and the rate's
    /// day; existing conversions get none (the recompute fills them; the partial index finds them). The roll-ups gain the
    /// reporting currency in their key and the sum of the reporting amounts; their existing rows are right as they are
    /// (no reporting currency, a sum of 0), so there is nothing to backfill.
    /// </summary>
    public const string MigrationReportingCurrency = """
        ALTER TABLE {schema}.conversions
            ADD COLUMN reporting_amount    numeric,
            ADD COLUMN reporting_currency  text COLLATE "C",
            ADD COLUMN reporting_rate      numeric,
            ADD COLUMN reporting_rate_date date;
        CREATE INDEX conversions_reporting_missing ON {schema}.conversions (id) WHERE amount IS NOT NULL AND reporting_amount IS NULL;

        ALTER TABLE {schema}.conversion_rollups
            ADD COLUMN reporting_currency text COLLATE "C",
            ADD COLUMN reporting_amount   numeric NOT NULL DEFAULT 0;
        ALTER TABLE {schema}.conversion_rollups DROP CONSTRAINT conversion_rollups_key;
        ALTER TABLE {schema}.conversion_rollups ADD CONSTRAINT conversion_rollups_key
            UNIQUE NULLS NOT DISTINCT (day, set_id, campaign_id, event_kind, attribution, currency, reporting_currency);
        """;

    /// <summary>
    /// Subject bindings: the one click of a chat user in a campaign (<see cref="Storage.ClickStore.BindSubjectAsync"/>).
    /// They start empty: a subject's first binding finds its oldest click of the campaign by the new index; clicks keep
    /// every value.
    /// </summary>
    public const string SubjectBindings = """
        CREATE TABLE {schema}.subject_bindings (
            subject_id  text COLLATE "C" NOT NULL,
            campaign_id text COLLATE "C" NOT NULL,
            click_id    text COLLATE "C" NOT NULL REFERENCES {schema}.clicks (id),
            bound_at    timestamptz      NOT NULL,
            CONSTRAINT subject_bindings_pkey PRIMARY KEY (subject_id, campaign_id)
        );
        CREATE INDEX clicks_subject_campaign_created_at ON {schema}.clicks (subject_id, campaign_id, created_at, id) WHERE subject_id IS NOT NULL;
        """;

    /// <summary>
    /// Deposit numbers (<see cref="Storage.DepositNumbering"/>): the number a credited first deposit or deposit took among
    /// its click's deposits, and the number a log entry's answer carried; the stored credited deposits are numbered per click
    /// in (received at, id) order: the earliest first deposit takes 1, the others follow in order with the repeats, which
    /// start at 2. Log entries written before keep none.
    /// </summary>
    public const string DepositNumbers = """
        ALTER TABLE {schema}.conversions ADD COLUMN deposit_number integer
            CONSTRAINT conversions_deposit_number_check CHECK (deposit_number > 0);
        ALTER TABLE {schema}.postback_log ADD COLUMN deposit_number integer
            CONSTRAINT postback_log_deposit_number_check CHECK (deposit_number > 0);
        WITH deposits AS (
            SELECT id, click_id, received_at,
                   event_kind = 'first-deposit'
                   AND row_number() OVER (PARTITION BY click_id, event_kind = 'first-deposit' ORDER BY received_at, id) = 1 AS first
            FROM {schema}.conversions
            WHERE attribution = 'credited' AND event_kind IN ('first-deposit', 'deposit')
        ), numbered AS (
            SELECT id, CASE WHEN first THEN 1
                            ELSE 1 + row_number() OVER (PARTITION BY click_id, first ORDER BY received_at, id) END AS deposit_number
            FROM deposits
        )
        UPDATE {schema}.conversions c SET deposit_number = n.deposit_number
        FROM numbered n
        WHERE c.id = n.id;
        """;

    /// <summary>
    /// Rule filters (<see cref="Forwarding.ForwardingRuleFilter"/>) on forwarding rules: the events (canonical names,
    /// <c>NULL</c> for every event) and the deposit-number range's bounds (<c>NULL</c> when open; both <c>NULL</c>: no range).
    /// Existing rules get none, so they forward what they forwarded before.
    /// </summary>
    public const string RuleFilters = """
        ALTER TABLE {schema}.forwarding_rules ADD COLUMN filter_events text[];
        ALTER TABLE {schema}.forwarding_rules ADD COLUMN filter_deposit_number_min integer
            CONSTRAINT forwarding_rules_filter_deposit_number_min_check CHECK (filter_deposit_number_min > 0);
        ALTER TABLE {schema}.forwarding_rules ADD COLUMN filter_deposit_number_max integer
            CONSTRAINT forwarding_rules_filter_deposit_number_max_check
            CHECK (filter_deposit_number_max > 0 AND filter_deposit_number_max >= COALESCE(filter_deposit_number_min, 1));
        """;

    /// <summary>
    /// Reconciliations (<see cref="Storage.ReconciliationStore"/>): each set's report layout, and the kept reports as JSON
    /// text with their summaries beside them. Both tables start empty: a set without a layout uses the generic one.
    /// </summary>
    public const string Reconciliations = """
        CREATE TABLE {schema}.reconciliation_layouts (
            set_id text COLLATE "C" NOT NULL,
            layout text             NOT NULL,
            CONSTRAINT reconciliation_layouts_pkey PRIMARY KEY (set_id)
        );
        CREATE TABLE {schema}.reconciliations (
            id         text COLLATE "C" NOT NULL,
            set_id     text COLLATE "C" NOT NULL,
            created_at timestamptz      NOT NULL,
            summary    text             NOT NULL,
            report     text             NOT NULL,
            CONSTRAINT reconciliations_pkey PRIMARY KEY (id)
        );
        CREATE INDEX reconciliations_set_id ON {schema}.reconciliations (set_id, id);
        """;

    /// <summary>
    /// Repeat deposits in the stats (<see cref="Storage.PostbackStats.RepeatDeposits"/>): the roll-up key gains the deposit
    /// number's bucket (<see cref="Storage.DepositNumbering.StatsBucket"/>: the number up to 4, <c>NULL</c> without one).
    /// Existing rows mix the buckets of their conversions, so the table is filled again from the stored conversions (a
    /// <c>GROUP BY</c>: exact on <c>numeric</c>), in the migration's transaction.
    /// </summary>
    public const string RepeatDeposits = """
        ALTER TABLE {schema}.conversion_rollups ADD COLUMN deposit_bucket integer
            CONSTRAINT conversion_rollups_deposit_bucket_check CHECK (deposit_bucket > 0);
        ALTER TABLE {schema}.conversion_rollups DROP CONSTRAINT conversion_rollups_key;
        DELETE FROM {schema}.conversion_rollups;
        ALTER TABLE {schema}.conversion_rollups ADD CONSTRAINT conversion_rollups_key
            UNIQUE NULLS NOT DISTINCT (day, set_id, campaign_id, event_kind, attribution, currency, reporting_currency, deposit_bucket);
        INSERT INTO {schema}.conversion_rollups
            (day, set_id, campaign_id, event_kind, attribution, currency, reporting_currency, deposit_bucket, count, amount, reporting_amount)
        SELECT (received_at AT TIME ZONE 'UTC')::date, set_id, campaign_id, event_kind, attribution, currency, reporting_currency,
               CASE WHEN deposit_number > 4 THEN 4 ELSE deposit_number END, count(*), COALESCE(sum(amount), 0), COALESCE(sum(reporting_amount), 0)
        FROM {schema}.conversions
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
        """;

    /// <summary>
    /// Conversion statuses: a set's status map (<see cref="Ingestion.ConversionStatusMap.ToJson"/>); NULL, every existing
    /// set's, is the default map. Every existing conversion is approved (what it counted as) with no word and no history;
    /// status changes are kept in their own table; the log's outcome gains <c>changed</c>.
    /// </summary>
    public const string Statuses = """
        ALTER TABLE {schema}.postback_sets ADD COLUMN status_map jsonb;
        ALTER TABLE {schema}.conversions
            ADD COLUMN status text NOT NULL DEFAULT 'approved'
                CONSTRAINT conversions_status_check CHECK (status IN ('approved', 'pending', 'rejected', 'chargeback')),
            ADD COLUMN status_word text,
            ADD COLUMN status_word_unknown boolean NOT NULL DEFAULT false;
        CREATE INDEX conversions_status_received_at ON {schema}.conversions (status, received_at) WHERE status <> 'approved';
        CREATE TABLE {schema}.conversion_status_history (
            id            text COLLATE "C" NOT NULL,
            conversion_id text COLLATE "C" NOT NULL REFERENCES {schema}.conversions (id),
            at            timestamptz      NOT NULL,
            from_status   text             NOT NULL,
            to_status     text             NOT NULL,
            word          text             NOT NULL,
            log_entry_id  text COLLATE "C" NOT NULL,
            CONSTRAINT conversion_status_history_pkey PRIMARY KEY (id),
            CONSTRAINT conversion_status_history_from_check CHECK (from_status IN ('approved', 'pending', 'rejected', 'chargeback')),
            CONSTRAINT conversion_status_history_to_check CHECK (to_status IN ('approved', 'pending', 'rejected', 'chargeback'))
        );
        CREATE INDEX conversion_status_history_conversion_at ON {schema}.conversion_status_history (conversion_id, at, id);
        ALTER TABLE {schema}.outbox_messages ADD COLUMN history_entry_id text COLLATE "C";
        ALTER TABLE {schema}.postback_log
            DROP CONSTRAINT postback_log_outcome_check,
            ADD CONSTRAINT postback_log_outcome_check CHECK (outcome IN ('accepted', 'duplicate', 'unattributed', 'rejected', 'changed'));
        """;

    /// <summary>
    /// Reconciliation looks a batch of report rows' transaction ids up in their set
    /// (<see cref="Storage.IngestStore.ListConversionsToMatchAsync"/>): an index by set and transaction id, with an entry only
    /// for conversions that have one. No row changes.
    /// </summary>
    public const string TransactionIds = """
        CREATE INDEX conversions_set_transaction_id ON {schema}.conversions (set_id, transaction_id) WHERE transaction_id IS NOT NULL;
        """;

    /// <summary>
    /// Stats by status (<see cref="Storage.PostbackStats.Statuses"/>, <see cref="Storage.CurrencyAmounts.Chargebacks"/>): the
    /// roll-up key gains the conversion's current status; a status change moves its conversion from one row to another.
    /// Rows of conversions stored since the statuses' migration mix statuses, so the table is filled again from the stored
    /// conversions (a <c>GROUP BY</c>: exact on <c>numeric</c>), in the migration's transaction; before it every conversion is approved.
    /// </summary>
    public const string RollupStatuses = """
        ALTER TABLE {schema}.conversion_rollups ADD COLUMN status text NOT NULL DEFAULT 'approved'
            CONSTRAINT conversion_rollups_status_check CHECK (status IN ('approved', 'pending', 'rejected', 'chargeback'));
        ALTER TABLE {schema}.conversion_rollups DROP CONSTRAINT conversion_rollups_key;
        DELETE FROM {schema}.conversion_rollups;
        ALTER TABLE {schema}.conversion_rollups ADD CONSTRAINT conversion_rollups_key
            UNIQUE NULLS NOT DISTINCT (day, set_id, campaign_id, event_kind, attribution, currency, reporting_currency, deposit_bucket, status);
        INSERT INTO {schema}.conversion_rollups
            (day, set_id, campaign_id, event_kind, attribution, currency, reporting_currency, deposit_bucket, status, count, amount, reporting_amount)
        SELECT (received_at AT TIME ZONE 'UTC')::date, set_id, campaign_id, event_kind, attribution, currency, reporting_currency,
               CASE WHEN deposit_number > 4 THEN 4 ELSE deposit_number END, status, count(*), COALESCE(sum(amount), 0), COALESCE(sum(reporting_amount), 0)
        FROM {schema}.conversions
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;
        """;

    /// <summary>
    /// Rule status filters (<see cref="Forwarding.ForwardingRuleFilter.Statuses"/>): the status names a rule forwards each
    /// entry into; <c>NULL</c>, every existing rule's, forwards the first approval only.
    /// </summary>
    public const string RuleStatuses = """
        ALTER TABLE {schema}.forwarding_rules ADD COLUMN filter_statuses text[];
        """;

    /// <summary>
    /// The status remap (<see cref="Ingestion.PostbackIngestor.RemapStatusesAsync"/>) lists a set's conversions whose status
    /// word was unknown, newest first (<see cref="Storage.ConversionListQuery.StatusWordUnknown"/>): an index with an entry
    /// only for those, so the read is proportional to them, not to the set. No row changes.
    /// </summary>
    public const string UnknownStatusWords = """
        CREATE INDEX conversions_set_unknown_word ON {schema}.conversions (set_id, received_at, id) WHERE status_word_unknown;
        """;

    /// <summary>The migrations in order; index 0 is migration 1.</summary>
    public static IReadOnlyList<string> Migrations { get; } = [Migration1, Migration2, Migration3, Migration4, Migration5, MigrationReportingCurrency, SubjectBindings, DepositNumbers, RuleFilters, Reconciliations, RepeatDeposits, Statuses, TransactionIds, RollupStatuses, RuleStatuses, UnknownStatusWords];

    /// <summary>The schema version this build of the store reads and writes.</summary>
    public static int CurrentVersion => Migrations.Count;

    /// <summary>Quotes a validated schema name (see <see cref="PostgreSqlPostbackStoreOptionsValidator"/>).</summary>
    public static string Quote(string schema) => "\"" + schema + "\"";

    /// <summary>Replaces <see cref="Placeholder"/> with the quoted schema name.</summary>
    public static string Render(string sql, string quotedSchema) => sql.Replace(Placeholder, quotedSchema, StringComparison.Ordinal);
}
