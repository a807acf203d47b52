using System.Net.Sockets;
using Chatterfy.Postbacks.Storage;
using Chatterfy.Postbacks.Storage.Conformance;
using Npgsql;

namespace Chatterfy.Postbacks.PostgreSql.Tests;

public sealed class UnavailabilityTests
{
    [Theory]
    [InlineData("57P01", true)] // admin_shutdown: the server is shutting down
    [InlineData("57P02", true)] // crash_shutdown
    [InlineData("57P03", true)] // cannot_connect_now: starting up or in recovery
    [InlineData("08006", true)] // connection_failure
    [InlineData("25006", true)] // read_only_sql_transaction: a standby after a fail-over
    [InlineData("53300", true)] // too_many_connections (transient)
    [InlineData("40P01", true)] // deadlock_detected (transient)
    [InlineData("23505", false)] // unique_violation: the caller's mistake, not an outage
    [InlineData("42P01", false)] // undefined_table: a missing schema is a setup error
    [InlineData("28P01", false)] // invalid_password: a setup error
    public void IsUnavailable_PostgresError_DependsOnTheSqlState(string sqlState, bool unavailable)
    {
        var exception = new PostgresException("message", "FATAL", "FATAL", sqlState);

        PostgreSqlPostbackStore.IsUnavailable(exception, CancellationToken.None).Should().Be(unavailable);
    }

    [Fact]
    public void IsUnavailable_NetworkErrorsAndTimeouts_AreUnavailable()
    {
        PostgreSqlPostbackStore.IsUnavailable(new NpgsqlException("broken", new SocketException((int)SocketError.ConnectionRefused)), CancellationToken.None).Should().BeTrue();
        PostgreSqlPostbackStore.IsUnavailable(new NpgsqlException("read failed", new IOException("reset")), CancellationToken.None).Should().BeTrue();
        PostgreSqlPostbackStore.IsUnavailable(new NpgsqlException("timeout", new TimeoutException()), CancellationToken.None).Should().BeTrue();
        PostgreSqlPostbackStore.IsUnavailable(new ObjectDisposedException("NpgsqlDataSource"), CancellationToken.None).Should().BeTrue();
        PostgreSqlPostbackStore.IsUnavailable(new InvalidCastException(), CancellationToken.None).Should().BeFalse();
    }

    [Fact]
    public void IsUnavailable_CancellationByTheCaller_IsNotAnOutage()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        PostgreSqlPostbackStore.IsUnavailable(new OperationCanceledException(cancelled.Token), cancelled.Token).Should().BeFalse();
    }

    [PostgresFact]
    public async Task Operation_OnAConnectionTheServerTerminated_IsUnavailableThenRecovers()
    {
        await using var database = new PostgresTestDatabase();
        var applicationName = "postbacks-test-" + Guid.NewGuid().ToString("N")[..8];
        await using var dataSource = NpgsqlDataSource.Create(PostgresTestDatabase.RequiredConnectionString + ";Application Name=" + applicationName);
        var store = new PostgreSqlPostbackStore(dataSource, new PostgreSqlPostbackStoreOptions { Schema = database.NewSchema() });
        await store.MigrateAsync();
        await store.Storage.Ingest.CheckHealthAsync(CancellationToken.None);

        // As when the server shuts down: it ends the pooled connection's backend (admin_shutdown, 57P01).
        await using (var admin = NpgsqlDataSource.Create(PostgresTestDatabase.RequiredConnectionString))
        await using (var command = admin.CreateCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = applicationName });
            ((long)(await command.ExecuteScalarAsync())!).Should().Be(1);
        }

        var conversion = StoreTestData.Conversion();
        await ((Func<Task>)(async () => await store.Storage.Ingest.AppendOneAsync(IngestRecords.For(conversion))))
            .Should().ThrowAsync<PostbackStoreUnavailableException>();

        // Nothing was committed; the network's retry goes through on a new connection.
        (await store.Storage.Ingest.AppendOneAsync(IngestRecords.For(conversion))).Should().Be((IngestResult.Written(conversion.Id) with { DepositNumber = conversion.DepositNumber }));
    }
}
