using Chatterfy.Postbacks.Storage;
using Chatterfy.Postbacks.Storage.Conformance;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Chatterfy.Postbacks.PostgreSql.Tests;

/// <summary>What the PostgreSQL store reports while it cannot write, and how it logs an outage.</summary>
public sealed class PostgreSqlStorageFaultTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [PostgresFact]
    public async Task CheckHealth_ServerThatAcceptsNoWrites_Throws()
    {
        await using var database = new PostgresTestDatabase();
        var schema = database.NewSchema();
        await database.NewStore(schema).MigrateAsync();

        // As on a standby after a fail-over, or a primary an operator made read-only: reads work, every write fails.
        await using var readOnly = NpgsqlDataSource.Create(PostgresTestDatabase.RequiredConnectionString + ";Options=-c default_transaction_read_only=on");
        var store = new PostgreSqlPostbackStore(readOnly, new PostgreSqlPostbackStoreOptions { Schema = schema }).Storage;
        await store.Sets.ListAsync(None);

        await FluentActions.Awaiting(() => store.Ingest.CheckHealthAsync(None).AsTask()).Should().ThrowAsync<PostbackStoreUnavailableException>()
            .WithMessage("*read-only*");
    }

    [PostgresFact]
    public async Task Append_ServerThatAcceptsNoWrites_IsUnavailableSoThePostbacksAreAnswered503()
    {
        await using var database = new PostgresTestDatabase();
        var schema = database.NewSchema();
        await database.NewStore(schema).MigrateAsync();
        await using var readOnly = NpgsqlDataSource.Create(PostgresTestDatabase.RequiredConnectionString + ";Options=-c default_transaction_read_only=on");
        var store = new PostgreSqlPostbackStore(readOnly, new PostgreSqlPostbackStoreOptions { Schema = schema }).Storage;
        var conversion = StoreTestData.Conversion();

        await FluentActions.Awaiting(() => store.Ingest.AppendAsync([IngestRecords.For(conversion)], None).AsTask())
            .Should().ThrowAsync<PostbackStoreUnavailableException>().WithMessage("*read-only*");
    }

    [PostgresFact]
    public async Task CheckHealth_WritableServer_Succeeds()
    {
        await using var database = new PostgresTestDatabase();
        var store = await database.NewMigratedStoreAsync();

        await store.Storage.Ingest.CheckHealthAsync(None);
    }

    [Fact]
    public async Task RepeatedUnavailability_IsLoggedOncePerIntervalWithACount()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero));
        var collector = new FakeLogCollector();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddLogging(logging => logging.AddProvider(new FakeLoggerProvider(collector)));

        // Nothing listens on port 1: every connection is refused at once.
        services.AddChatterfyPostbacks().UsePostgreSql("Host=127.0.0.1;Port=1;Timeout=2;Pooling=false");
        await using var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<PostbackSetStore>();

        for (var i = 0; i < 3; i++)
        {
            await FluentActions.Awaiting(() => store.GetAsync("set-1", None).AsTask()).Should().ThrowAsync<PostbackStoreUnavailableException>();
        }

        Errors(collector).Should().ContainSingle("three failures in one interval are one line");

        time.Advance(TimeSpan.FromMinutes(1));
        await FluentActions.Awaiting(() => store.GetAsync("set-1", None).AsTask()).Should().ThrowAsync<PostbackStoreUnavailableException>();

        var errors = Errors(collector);
        errors.Should().HaveCount(2);
        errors[1].Message.Should().Contain("3", "the line counts the failures since the last one");
    }

    private static List<FakeLogRecord> Errors(FakeLogCollector collector) =>
        [.. collector.GetSnapshot().Where(r => r.Category == typeof(PostgreSqlPostbackStore).FullName && r.Level >= LogLevel.Error)];
}
