using Chatterfy.Postbacks.Storage;
using Chatterfy.Postbacks.Storage.Conformance;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Chatterfy.Postbacks.PostgreSql.Tests;

public sealed class PostgreSqlServiceCollectionTests
{
    private const string SomeConnectionString = "Host=127.0.0.1;Database=postbacks";

    [Fact]
    public async Task UsePostgreSql_AfterUseInMemoryStore_ReplacesIt()
    {
        var services = new ServiceCollection();
        services.AddChatterfyPostbacks().UseInMemoryStore().UsePostgreSql(SomeConnectionString);
        await using var provider = services.BuildServiceProvider();

        var postgres = provider.GetRequiredService<PostgreSqlPostbackStore>();
        postgres.Schema.Should().Be("postbacks");
        provider.GetRequiredService<PostbackStorage>().Should().BeSameAs(postgres.Storage);
        provider.GetRequiredService<IngestStore>().Should().BeSameAs(postgres.Storage.Ingest);
        services.Count(d => d.ServiceType == typeof(PostbackStorage)).Should().Be(1);
    }

    [Fact]
    public async Task UseInMemoryStore_AfterUsePostgreSql_ReplacesIt_AndStartupLeavesTheDatabaseAlone()
    {
        var services = new ServiceCollection();
        services.AddChatterfyPostbacks().UsePostgreSql($"Host=127.0.0.1;Port={PostgreSqlPostbackStoreTests.ClosedPort()}").UseInMemoryStore();
        await using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<PostbackStorage>().Ingest.Should().NotBeOfType<PostgreSqlIngestStore>();
        var migrator = provider.GetServices<IHostedService>().OfType<PostgreSqlPostbackStoreInitializer>().Should().ContainSingle().Subject;
        await migrator.StartAsync(CancellationToken.None);
    }

    [Fact]
    public void UsePostgreSql_CalledTwice_RegistersOneStoreAndOneMigratorAheadOfTheOtherHostedServices()
    {
        var services = new ServiceCollection();
        services.AddChatterfyPostbacks().UsePostgreSql(SomeConnectionString).UsePostgreSql(o => o.Schema = "other");

        services.Count(d => d.ServiceType == typeof(PostbackStorage)).Should().Be(1);
        services.Count(d => d.ServiceType == typeof(PostgreSqlPostbackStore)).Should().Be(1);
        var hosted = services.Where(d => d.ServiceType == typeof(IHostedService)).ToList();
        hosted.Count(d => d.ImplementationType == typeof(PostgreSqlPostbackStoreInitializer)).Should().Be(1);
        hosted[0].ImplementationType.Should().Be<PostgreSqlPostbackStoreInitializer>();
    }

    [Fact]
    public async Task UsePostgreSql_WithOptionsInCode_AppliesThem()
    {
        var services = new ServiceCollection();
        services.AddChatterfyPostbacks().UsePostgreSql(o =>
        {
            o.ConnectionString = SomeConnectionString;
            o.Schema = "receiver";
            o.CommandTimeout = TimeSpan.FromSeconds(5);
        });
        await using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<PostgreSqlPostbackStore>().Schema.Should().Be("receiver");
    }

    [Fact]
    public async Task UsePostgreSql_WithAConfigurationSection_BindsIt()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Postbacks:PostgreSql:ConnectionString"] = SomeConnectionString,
            ["Postbacks:PostgreSql:Schema"] = "from_config",
            ["Postbacks:PostgreSql:CreateSchema"] = "false",
            ["Postbacks:PostgreSql:CommandTimeout"] = "00:00:10",
        }).Build();
        var services = new ServiceCollection();
        services.AddChatterfyPostbacks().UsePostgreSql(configuration.GetSection("Postbacks:PostgreSql"));
        await using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<PostgreSqlPostbackStoreOptions>>().Value;
        options.Schema.Should().Be("from_config");
        options.CreateSchema.Should().BeFalse();
        options.CommandTimeout.Should().Be(TimeSpan.FromSeconds(10));
        provider.GetRequiredService<PostgreSqlPostbackStore>().Schema.Should().Be("from_config");
    }

    [Fact]
    public void UsePostgreSql_BlankConnectionString_ThrowsAtOnce()
    {
        var builder = new ServiceCollection().AddChatterfyPostbacks();

        var act = () => builder.UsePostgreSql(" ");

        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void OptionRanges_PostgreSqlOptions_MatchTheirValueDocs()
    {
        var mismatches = Chatterfy.Postbacks.Tests.Approvals.OptionRangeDocs.Mismatches(typeof(PostgreSqlPostbackStoreOptions).Assembly, out var checkedCount);

        checkedCount.Should().Be(1);
        mismatches.Should().BeEmpty();
    }

    [Theory]
    [InlineData(null, "postbacks", 30, "Postbacks:PostgreSql:ConnectionString must be set.")]
    [InlineData("", "postbacks", 30, "Postbacks:PostgreSql:ConnectionString must be set.")]
    [InlineData("Hots=db", "postbacks", 30, "Postbacks:PostgreSql:ConnectionString is not a valid PostgreSQL connection string*")]
    [InlineData(SomeConnectionString, "", 30, "Postbacks:PostgreSql:Schema must be set.")]
    [InlineData(SomeConnectionString, "1st", 30, "Postbacks:PostgreSql:Schema must be ASCII letters, digits, '_' or '$', starting with a letter or '_' (got '1st').")]
    [InlineData(SomeConnectionString, "post\"backs", 30, "Postbacks:PostgreSql:Schema must be ASCII letters*")]
    [InlineData(SomeConnectionString, "pg_postbacks", 30, "Postbacks:PostgreSql:Schema must not start with 'pg_'*")]
    [InlineData(SomeConnectionString, "a234567890123456789012345678901234567890123456789012345678901234", 30, "Postbacks:PostgreSql:Schema must be at most 63 characters (got 64).")]
    [InlineData(SomeConnectionString, "postbacks", 0, "Postbacks:PostgreSql:CommandTimeout must be from 1 second to 1 hour (got 00:00:00).")]
    [InlineData(SomeConnectionString, "postbacks", 3601, "Postbacks:PostgreSql:CommandTimeout must be from 1 second to 1 hour*")]
    public async Task Options_InvalidValue_FailValidationNamingTheOptionPath(string? connectionString, string schema, int timeoutSeconds, string expected)
    {
        var services = new ServiceCollection();
        services.AddChatterfyPostbacks().UsePostgreSql(o =>
        {
            o.ConnectionString = connectionString;
            o.Schema = schema;
            o.CommandTimeout = TimeSpan.FromSeconds(timeoutSeconds);
        });
        await using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<IOptions<PostgreSqlPostbackStoreOptions>>().Value;

        act.Should().Throw<OptionsValidationException>().Which.Failures.Should().ContainMatch(expected);
    }

    [Fact]
    public async Task Options_Defaults_AreValid()
    {
        var options = new PostgreSqlPostbackStoreOptions();
        options.Schema.Should().Be("postbacks");
        options.CreateSchema.Should().BeTrue();
        options.CommandTimeout.Should().Be(TimeSpan.FromSeconds(30));
        options.ConnectionString.Should().BeNull();

        var services = new ServiceCollection();
        services.AddChatterfyPostbacks().UsePostgreSql(SomeConnectionString);
        await using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IOptions<PostgreSqlPostbackStoreOptions>>().Value.ConnectionString.Should().Be(SomeConnectionString);
    }

    [Fact]
    public async Task Container_DisposesTheDataSource_LaterCallsAreUnavailable()
    {
        var services = new ServiceCollection();
        services.AddChatterfyPostbacks().UsePostgreSql(SomeConnectionString);
        var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<IngestStore>();
        var owner = provider.GetRequiredService<PostgreSqlDataSourceOwner>();

        await provider.DisposeAsync();

        var act = () => owner.DataSource.OpenConnection();
        act.Should().Throw<ObjectDisposedException>();
        await ((Func<Task>)(async () => await store.CheckHealthAsync(CancellationToken.None))).Should().ThrowAsync<PostbackStoreUnavailableException>();
    }

    [PostgresFact]
    public async Task HostStart_CreatesTheSchema_ThenTheStoreWorks()
    {
        await using var database = new PostgresTestDatabase();
        var schema = database.NewSchema();
        var services = new ServiceCollection();
        services.AddChatterfyPostbacks().UsePostgreSql(o =>
        {
            o.ConnectionString = PostgresTestDatabase.RequiredConnectionString;
            o.Schema = schema;
        });
        await using var provider = services.BuildServiceProvider();

        await StartAsync(provider);

        var store = provider.GetRequiredService<PostbackSetStore>();
        var set = StoreTestData.Set();
        await store.AddAsync(set, CancellationToken.None);
        (await store.GetAsync(set.Id, CancellationToken.None))!.Name.Should().Be(set.Name);
        (await PostgresTestDatabase.SchemaVersionsAsync(schema)).Should().Equal(Enumerable.Range(1, PostgreSqlSchema.CurrentVersion));
        await StopAsync(provider);
    }

    [PostgresFact]
    public async Task HostStart_WithoutCreateSchemaAndNoSchema_FailsNamingTheOption()
    {
        await using var database = new PostgresTestDatabase();
        var services = new ServiceCollection();
        services.AddChatterfyPostbacks().UsePostgreSql(o =>
        {
            o.ConnectionString = PostgresTestDatabase.RequiredConnectionString;
            o.Schema = database.NewSchema();
            o.CreateSchema = false;
        });
        await using var provider = services.BuildServiceProvider();
        var migrator = provider.GetServices<IHostedService>().OfType<PostgreSqlPostbackStoreInitializer>().Single();

        await ((Func<Task>)(() => migrator.StartAsync(CancellationToken.None))).Should()
            .ThrowAsync<InvalidOperationException>().WithMessage("*version 0*Postbacks:PostgreSql:CreateSchema*");
    }

    [PostgresFact]
    public async Task HostStart_WithoutCreateSchemaAndACurrentSchema_Succeeds()
    {
        await using var database = new PostgresTestDatabase();
        var store = await database.NewMigratedStoreAsync();
        var services = new ServiceCollection();
        services.AddChatterfyPostbacks().UsePostgreSql(o =>
        {
            o.ConnectionString = PostgresTestDatabase.RequiredConnectionString;
            o.Schema = store.Schema;
            o.CreateSchema = false;
        });
        await using var provider = services.BuildServiceProvider();

        await provider.GetServices<IHostedService>().OfType<PostgreSqlPostbackStoreInitializer>().Single().StartAsync(CancellationToken.None);
    }

    private static async Task StartAsync(IServiceProvider provider)
    {
        foreach (var service in provider.GetServices<IHostedService>())
        {
            await service.StartAsync(CancellationToken.None);
        }
    }

    private static async Task StopAsync(IServiceProvider provider)
    {
        foreach (var service in provider.GetServices<IHostedService>().Reverse())
        {
            await service.StopAsync(CancellationToken.None);
        }
    }
}
