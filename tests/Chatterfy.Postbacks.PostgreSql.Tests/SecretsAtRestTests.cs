using System.Text.Json;
using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.PostbackSets;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Chatterfy.Postbacks.PostgreSql.Tests;

/// <summary>
/// Secrets at rest on PostgreSQL (<c>Postbacks:Forwarding:ProtectSecrets</c>): the rule's row holds no plain access token,
/// plain rows from before are protected when the host starts, once, and a restart with the same keys reads them.
/// </summary>
public sealed class SecretsAtRestTests : IAsyncDisposable
{
    private const string AccessToken = "EAAB-postgres-secret-token-0123456789abcd";

    private readonly PostgresTestDatabase _database = new();
    private readonly string _keys = Path.Combine(Path.GetTempPath(), "chatterfy-pg-secrets-tests", Guid.NewGuid().ToString("N"));
    private readonly string _schema;

    public SecretsAtRestTests() => _schema = _database.NewSchema();

    public async ValueTask DisposeAsync()
    {
        await _database.DisposeAsync();
        if (Directory.Exists(_keys))
        {
            Directory.Delete(_keys, recursive: true);
        }
    }

    [PostgresFact]
    public async Task WithProtectionOn_TheRulesRowHoldsNoPlainToken_AndARestartWithTheSameKeysReadsIt()
    {
        string ruleId;
        using (var host = await StartAsync(protectSecrets: true))
        {
            ruleId = (await CreateRuleAsync(host.Services)).Id;
        }

        var row = await SettingsTextAsync(ruleId);
        row.Should().NotContain(AccessToken).And.Contain("\"accessToken\":\"dp1:").And.Contain("\"pixelId\":\"123456789012345\"");

        using var restarted = await StartAsync(protectSecrets: true);
        var rules = restarted.Services.GetRequiredService<ForwardingRuleService>();
        rules.MaskSecrets((await rules.GetAsync(ruleId))!).GetProperty("accessToken").GetString().Should().Be("****" + AccessToken[^4..]);
    }

    [PostgresFact]
    public async Task Start_ProtectsThePlainSecretsOfEarlierRows_AndASecondStartChangesNothing()
    {
        string ruleId;
        using (var before = await StartAsync(protectSecrets: false))
        {
            ruleId = (await CreateRuleAsync(before.Services)).Id;
        }

        (await SettingsTextAsync(ruleId)).Should().Contain(AccessToken);

        using (await StartAsync(protectSecrets: true))
        {
        }

        var protectedText = await SettingsTextAsync(ruleId);
        protectedText.Should().NotContain(AccessToken).And.Contain("\"accessToken\":\"dp1:");

        using (await StartAsync(protectSecrets: true))
        {
        }

        (await SettingsTextAsync(ruleId)).Should().Be(protectedText, "a second start finds nothing left to protect");
    }

    private async Task<IHost> StartAsync(bool protectSecrets)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Postbacks:Forwarding:AllowHttp"] = "true",
            ["Postbacks:Forwarding:AllowPrivateNetworks"] = "true",
            ["Postbacks:Forwarding:Dispatcher:Enabled"] = "false",
            ["Postbacks:Forwarding:ProtectSecrets"] = protectSecrets ? "true" : "false",
        });
        builder.Services.AddChatterfyPostbacks()
            .UsePostgreSql(o =>
            {
                o.ConnectionString = PostgresTestDatabase.RequiredConnectionString;
                o.Schema = _schema;
            })
            .AddForwarding(builder.Configuration.GetSection("Postbacks:Forwarding"));
        builder.Services.AddDataProtection().SetApplicationName("chatterfy-pg-tests").PersistKeysToFileSystem(new DirectoryInfo(_keys));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static async Task<ForwardingRule> CreateRuleAsync(IServiceProvider services)
    {
        var set = await services.GetRequiredService<PostbackSetService>().CreateAsync(new NewPostbackSet { Name = "Binomo", NetworkId = "binomo" });
        return await services.GetRequiredService<ForwardingRuleService>().CreateAsync(new NewForwardingRule
        {
            SetId = set.Id,
            DestinationId = "facebook-capi",
            Settings = JsonSerializer.SerializeToElement(new { pixelId = "123456789012345", accessToken = AccessToken, graphBaseUrl = "http://127.0.0.1:9" }),
        });
    }

    // The row as anyone with read access to the database (or a dump of it) sees it.
    private async Task<string> SettingsTextAsync(string ruleId)
    {
        await using var dataSource = NpgsqlDataSource.Create(PostgresTestDatabase.RequiredConnectionString);
        await using var command = dataSource.CreateCommand($"SELECT settings FROM \"{_schema}\".forwarding_rules WHERE id = $1");
        command.Parameters.AddWithValue(ruleId);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
