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

    /// <summary>The migrations in order; index 0 is migration 1.</summary>
    public static IReadOnlyList<string> Migrations { get; } = [Migration1];

    /// <summary>The schema version this build of the store reads and writes.</summary>
    public static int CurrentVersion => Migrations.Count;

    /// <summary>Quotes a validated schema name (see <see cref="PostgreSqlPostbackStoreOptionsValidator"/>).</summary>
    public static string Quote(string schema) => "\"" + schema + "\"";

    /// <summary>Replaces <see cref="Placeholder"/> with the quoted schema name.</summary>
    public static string Render(string sql, string quotedSchema) => sql.Replace(Placeholder, quotedSchema, StringComparison.Ordinal);
}
