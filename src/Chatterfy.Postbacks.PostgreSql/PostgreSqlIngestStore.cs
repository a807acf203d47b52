using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Storage;
using Npgsql;
using static Chatterfy.Postbacks.PostgreSql.PostgreSqlValues;

namespace Chatterfy.Postbacks.PostgreSql;

/// <summary>
/// Ingestion in PostgreSQL: each <see cref="IngestStore.AppendAsync"/> batch is one transaction, sent in one round trip
/// as a few set-based statements (see <see cref="PostgreSqlIngestStore"/>.Append.cs), and the reads of conversions.
/// </summary>
internal sealed partial class PostgreSqlIngestStore : IngestStore
{
    /// <summary>The purpose of the advisory lock taken per click id while its deposits are numbered (append and late credit).</summary>
    internal const string ClickLockPurpose = "click";

    /// <summary>The most records the store asks the core to gather into one append: one transaction, one round trip.</summary>
    internal const int BatchSize = 256;

    /// <summary>The columns of a conversion, in the order <see cref="Read"/> reads them and the append writes them.</summary>
    private const string Columns =
        "id, set_id, event_kind, event_name, click_id, amount, currency, transaction_id, attributes, received_at, remote_address, idempotency_key, idempotency_window, attribution, campaign_id, deposit_number";

    private readonly PostgreSqlPostbackStore _db;
    private readonly string _s;

    // The lock ids of key values: PostgreSqlPostbackStore.LockKey(schema, "key", value), with the prefix encoded once.
    private readonly byte[] _keyLockPrefix;

    // The lock ids of click ids whose deposits are numbered: PostgreSqlPostbackStore.LockKey(schema, "click", value).
    private readonly byte[] _clickLockPrefix;

    public PostgreSqlIngestStore(PostgreSqlPostbackStore db)
    {
        _db = db;
        _s = db.QuotedSchema;
        _appendSql = AppendSql();
        _rollupLockSql = PostgreSqlConversionRollups.LockSql(_s);
        _keyLockPrefix = System.Text.Encoding.UTF8.GetBytes("Chatterfy.Postbacks.PostgreSql\n" + db.Schema + "\nkey\n");
        _clickLockPrefix = System.Text.Encoding.UTF8.GetBytes("Chatterfy.Postbacks.PostgreSql\n" + db.Schema + "\n" + ClickLockPurpose + "\n");
    }

    /// <inheritdoc />
    /// <value>256: a batch is one transaction and one round trip, whatever its size.</value>
    public override int PreferredBatchSize => BatchSize;

    /// <summary>Gets the database the roles share.</summary>
    internal PostgreSqlPostbackStore Database => _db;

    /// <inheritdoc />
    public override ValueTask CheckHealthAsync(CancellationToken cancellationToken) => _db.CheckHealthAsync(cancellationToken);

    protected override async ValueTask<ConversionRecord?> GetConversionCoreAsync(string conversionId, CancellationToken cancellationToken) =>
        await _db.QuerySingleAsync($"SELECT {Columns} FROM {_s}.conversions WHERE id = $1", Read, [Text(conversionId)], cancellationToken).ConfigureAwait(false);

    protected override async ValueTask<IReadOnlyList<ConversionRecord>> ListConversionsByClickCoreAsync(string clickId, CancellationToken cancellationToken) =>
        await _db.QueryListAsync(
            $"SELECT {Columns} FROM {_s}.conversions WHERE click_id = $1 ORDER BY received_at, id",
            Read,
            [Text(clickId)],
            cancellationToken).ConfigureAwait(false);

    private static ConversionRecord Read(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Conversion = new Conversion
        {
            SetId = reader.GetString(1),
            Event = ReadEvent(reader.GetString(2), reader.GetString(3)),
            ClickId = reader.GetString(4),
            Amount = reader.IsDBNull(5) ? null : reader.GetDecimal(5),
            Currency = NullableString(reader, 6),
            TransactionId = NullableString(reader, 7),
            Attributes = PostgreSqlJsonText.ToDictionary(reader.GetString(8)),
            ReceivedAt = reader.GetFieldValue<DateTimeOffset>(9),
            RemoteAddress = NullableInet(reader, 10),
            IdempotencyKey = new IdempotencyKey(reader.GetString(11), reader.IsDBNull(12) ? null : reader.GetFieldValue<TimeSpan>(12)),
        },
        Attribution = StoredWords.ParseAttribution(reader.GetString(13)),
        CampaignId = NullableString(reader, 14),
        DepositNumber = reader.IsDBNull(15) ? null : reader.GetInt32(15),
    };

    private static PostbackEvent ReadEvent(string kind, string name) => StoredWords.ParseEventKind(kind) switch
    {
        PostbackEventKind.Registration => PostbackEvent.Registration,
        PostbackEventKind.FirstDeposit => PostbackEvent.FirstDeposit,
        PostbackEventKind.Deposit => PostbackEvent.Deposit,
        _ when PostbackEvent.TryParse(name, out var custom) && custom.Kind == PostbackEventKind.Custom => custom,
        _ => throw new InvalidOperationException($"The stored event '{kind}' / '{name}' is not a valid event."),
    };
}
