using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.Storage;
using Chatterfy.Postbacks.Storage.Conformance;
using Npgsql;

namespace Chatterfy.Postbacks.PostgreSql.Tests.Upgrade;

/// <summary>
/// Upgrade in place: a schema made and filled by the store of commit 62809e0 (upgrade-62809e0.sql, from pg_dump) is
/// restored into a fresh schema, the new store migrates it on start, and everything it reads through the SDK's types
/// equals what the old store read (upgrade-62809e0.expected.txt): sets and tokens, campaigns, clicks, conversions, the log,
/// rules, outbox messages and attempts, and the stats. A duplicate stays a duplicate; new writes use the new words.
/// </summary>
public sealed class PostgreSqlUpgradeTests
{
    private const string DumpSchema = "upgrade_62809e0";
    private static readonly CancellationToken None = CancellationToken.None;

    [PostgresFact]
    public async Task Migrate_SchemaOfCommit62809e0WithEveryTableFilled_KeepsEveryValueAndTheStats()
    {
        await using var database = new PostgresTestDatabase();
        var schema = database.NewSchema();
        await RestoreAsync(schema);
        var expected = Expected.Read(ResourcePath("upgrade-62809e0.expected.txt"));
        var store = database.NewStore(schema);

        (await store.MigrateAsync()).Should().Be(PostgreSqlSchema.CurrentVersion - 2, "62809e0 wrote schema version 2");

        (await PostgresTestDatabase.SchemaVersionsAsync(schema)).Should().Equal(Enumerable.Range(1, PostgreSqlSchema.CurrentVersion));
        var actual = await ReadAsync(store.Storage, expected);
        foreach (var (section, lines) in expected.Sections)
        {
            actual[section].Should().Equal(lines, "section {0} reads as the store of 62809e0 read it", section);
        }
    }

    [PostgresFact]
    public async Task Migrate_SchemaOfCommit62809e0_StillRecognisesItsDuplicatesAndWritesTheNewWords()
    {
        await using var database = new PostgresTestDatabase();
        var schema = database.NewSchema();
        await RestoreAsync(schema);
        var expected = Expected.Read(ResourcePath("upgrade-62809e0.expected.txt"));
        var store = database.NewStore(schema);
        await store.MigrateAsync();
        var roles = store.Storage;
        var clicks = expected.Manifest["clicks"].Split(' ');
        var stored = (await roles.Ingest.ListConversionsByClickAsync(clicks[0], None)).ToList();
        var permanent = stored.Single(c => c.Conversion.TransactionId == "T-100");
        var windowed = stored.Single(c => c.Conversion.IdempotencyKey.Window is not null);

        // A retry of a first deposit (a key for good) and of a deposit without a transaction id (a key for 24 hours).
        var permanentRetry = StoreTestData.Retry(permanent, permanent.Conversion.ReceivedAt.AddDays(30));
        var windowedRetry = StoreTestData.Retry(windowed, windowed.Conversion.ReceivedAt.AddHours(23));
        var windowedLater = StoreTestData.Retry(windowed, windowed.Conversion.ReceivedAt.AddHours(25));
        var results = await roles.Ingest.AppendAsync([IngestRecords.For(permanentRetry), IngestRecords.For(windowedRetry), IngestRecords.For(windowedLater)], None);

        // The upgrade numbered the click's credited deposits in receive order: its first deposit 1, the deposits after it
        // 2, 3, …; a new deposit takes the next number.
        permanent.DepositNumber.Should().Be(1);
        windowed.DepositNumber.Should().Be(2);
        var numbered = stored.Where(c => c.DepositNumber is not null).ToList();
        numbered.Select(c => c.DepositNumber!.Value).Should().Equal(Enumerable.Range(1, numbered.Count));
        results.Should().Equal(IngestResult.Duplicate(permanent.Id), IngestResult.Duplicate(windowed.Id), IngestResult.Written(windowedLater.Id) with { DepositNumber = numbered.Count + 1 });

        // The pending messages of 62809e0 are leased and dead-lettered by the new store, with the new words.
        var now = DateTimeOffset.Parse(expected.Manifest["now"], CultureInfo.InvariantCulture);
        var leased = await roles.Outbox.LeaseAsync(new OutboxLeaseRequest { LeaseId = "after-upgrade", Now = now, Duration = TimeSpan.FromMinutes(1), MaxCount = 100 }, None);
        leased.Should().HaveCount(4, "three old messages were never attempted and one dead letter was retried; the others are delivered, dead, leased or not due");
        var completions = leased.Select(m => new OutboxCompletion
        {
            LeaseId = "after-upgrade",
            Attempt = new OutboxAttempt { MessageId = m.Id, Number = m.AttemptCount + 1, StartedAt = now, Status = DeliveryStatus.DeadLetter, ErrorCode = "rule_deleted" },
            Status = OutboxMessageStatus.DeadLettered,
            CompletedAt = now,
        }).ToArray();
        (await roles.Outbox.CompleteAsync(completions, None)).Should().Be(4);
        (await roles.Outbox.ListAsync(new OutboxQuery { Status = OutboxMessageStatus.DeadLettered, Limit = 100 }, None)).Should().HaveCount(5);
        (await RowWordsAsync(schema)).Should().Equal("custom,deposit,first-deposit,registration", "dead-letter,delivered,retry", "dead-lettered,delivered,pending");
    }

    /// <summary>The dump, restored into <paramref name="schema"/> (psql's meta-commands, such as \restrict, left out).</summary>
    private static async Task RestoreAsync(string schema)
    {
        var sql = new StringBuilder();
        foreach (var line in File.ReadLines(ResourcePath("upgrade-62809e0.sql")))
        {
            if (!line.StartsWith('\\'))
            {
                sql.AppendLine(line.Replace(DumpSchema, schema, StringComparison.Ordinal));
            }
        }

        // A data source of its own: the dump sets the session's search_path.
        await using var dataSource = NpgsqlDataSource.Create(PostgresTestDatabase.RequiredConnectionString);
        await using var command = dataSource.CreateCommand(sql.ToString());
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<List<string>> RowWordsAsync(string schema)
    {
        await using var dataSource = NpgsqlDataSource.Create(PostgresTestDatabase.RequiredConnectionString);
        var words = new List<string>();
        foreach (var (table, column) in new[] { ("conversions", "event_kind"), ("outbox_attempts", "status"), ("outbox_messages", "status") })
        {
            await using var command = dataSource.CreateCommand($"SELECT string_agg(DISTINCT {column}, ',' ORDER BY {column}) FROM \"{schema}\".{table}");
            words.Add((string)(await command.ExecuteScalarAsync())!);
        }

        return words;
    }

    /// <summary>What the new store reads, in the sections and lines of the expected file.</summary>
    private static async Task<Dictionary<string, List<string>>> ReadAsync(PostbackStorage roles, Expected expected)
    {
        var m = expected.Manifest;
        var now = DateTimeOffset.Parse(m["now"], CultureInfo.InvariantCulture);
        var graceEnd = DateTimeOffset.Parse(m["previous-token-valid-until"], CultureInfo.InvariantCulture);
        var sections = new Dictionary<string, List<string>>();

        var sets = sections["sets"] = [];
        sets.AddRange((await roles.Sets.ListAsync(None)).Select(UpgradeSnapshot.Of));
        sets.Add(UpgradeSnapshot.Of(await roles.Sets.GetAsync(m["deleted-set"], None)));
        sets.Add($"used {m["deleted-set"]} {await roles.Sets.IsIdUsedAsync(m["deleted-set"], None)}");
        foreach (var token in m["tokens"].Split(' ').Append(m["deleted-set-token"]).Append(m["previous-token"]))
        {
            sets.Add($"token {token} at now: " + UpgradeSnapshot.Of(await roles.Sets.FindByTokenAsync(token, now, None)));
        }

        sets.Add($"token {m["previous-token"]} after grace: " + UpgradeSnapshot.Of(await roles.Sets.FindByTokenAsync(m["previous-token"], graceEnd, None)));
        sections["campaigns"] = [.. (await roles.Campaigns.ListAsync(None)).Select(UpgradeSnapshot.Of)];
        var clickIds = m["clicks"].Split(' ');
        var clicks = sections["clicks"] = [];
        var conversions = sections["conversions"] = [];
        foreach (var id in clickIds)
        {
            clicks.Add(UpgradeSnapshot.Of(await roles.Clicks.FindAsync(id, None)));
        }

        foreach (var id in clickIds)
        {
            foreach (var conversion in await roles.Ingest.ListConversionsByClickAsync(id, None))
            {
                conversions.Add(UpgradeSnapshot.Of(conversion));
                UpgradeSnapshot.Of(await roles.Ingest.GetConversionAsync(conversion.Id, None)).Should().Be(conversions[^1]);
            }
        }

        sections["log"] = [.. (await roles.Log.ListAsync(new PostbackLogQuery { Limit = PostbackLogQuery.MaxLimit }, None)).Select(UpgradeSnapshot.Of)];
        sections["rules"] = [.. (await roles.ForwardingRules.ListAsync(None)).Select(UpgradeSnapshot.Of)];
        var outbox = sections["outbox"] = [];
        foreach (var message in await roles.Outbox.ListAsync(new OutboxQuery { Limit = OutboxQuery.MaxLimit }, None))
        {
            outbox.Add(UpgradeSnapshot.Of(message));
            outbox.AddRange((await roles.Outbox.ListAttemptsAsync(message.Id, None)).Select(UpgradeSnapshot.Of));
        }

        var stats = sections["stats"] = [];
        foreach (var (name, json) in expected.StatsQueries)
        {
            stats.Add($"stats-query {name}: {json}");
            stats.Add(UpgradeSnapshot.Of(name, await StatsAsync(roles, JsonSerializer.Deserialize<PostbackStatsQuery>(json)!)));
        }

        return sections;
    }

    /// <summary>The tracker's stats through the core's service, which turns the store's figures into them.</summary>
    private static async Task<PostbackStats?> StatsAsync(PostbackStorage roles, PostbackStatsQuery query) =>
        await new PostbackStatsService(roles.Sets, roles.Log).GetAsync(query, None);

    private static string ResourcePath(string name, [CallerFilePath] string callerFile = "") =>
        Path.Combine(Path.GetDirectoryName(SourceFiles.Resolve(callerFile))!, name);

    /// <summary>The expected file: "key: value" lines, then sections that start with "== name".</summary>
    private sealed record Expected(Dictionary<string, string> Manifest, Dictionary<string, List<string>> Sections, List<(string Name, string Json)> StatsQueries)
    {
        public static Expected Read(string path)
        {
            var manifest = new Dictionary<string, string>(StringComparer.Ordinal);
            var sections = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            var queries = new List<(string, string)>();
            List<string>? section = null;
            foreach (var line in File.ReadLines(path))
            {
                if (line.StartsWith("== ", StringComparison.Ordinal))
                {
                    section = sections[line[3..]] = [];
                }
                else if (section is null)
                {
                    var colon = line.IndexOf(": ", StringComparison.Ordinal);
                    manifest[line[..colon]] = line[(colon + 2)..];
                }
                else
                {
                    section.Add(line);
                    if (line.StartsWith("stats-query ", StringComparison.Ordinal))
                    {
                        var colon = line.IndexOf(": ", StringComparison.Ordinal);
                        queries.Add((line["stats-query ".Length..colon], line[(colon + 2)..]));
                    }
                }
            }

            return new Expected(manifest, sections, queries);
        }
    }
}
