using System.Text.Json;
using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.PostbackSets;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Chatterfy.Postbacks.AspNetCore.Tests;

/// <summary>The sample host keeps forwarding-rule secrets protected, with its Data Protection keys beside its database.</summary>
public sealed class SampleSecretsTests : IDisposable
{
    private const string AccessToken = "EAAB-sample-secret-token-0123456789abcd";

    private readonly string _directory = Directory.CreateTempSubdirectory("chatterfy-sample-secrets-").FullName;

    private string Database => Path.Combine(_directory, "postbacks.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task StoresTheRulesAccessTokenProtected_WithItsKeysBesideTheDatabase_AndReadsItAfterARestart()
    {
        string ruleId;
        using (var factory = Sample())
        {
            // Through the services rather than the tracker API: this is about storage, not the API's authentication.
            var set = await factory.Services.GetRequiredService<PostbackSetService>().CreateAsync(new NewPostbackSet { Name = "Binomo", NetworkId = "binomo" });
            var rule = await factory.Services.GetRequiredService<ForwardingRuleService>().CreateAsync(new NewForwardingRule
            {
                SetId = set.Id,
                DestinationId = "facebook-capi",
                Settings = JsonSerializer.SerializeToElement(new { pixelId = "123456789012345", accessToken = AccessToken, graphBaseUrl = "http://127.0.0.1:9" }),
            });
            ruleId = rule.Id;
        }

        StoredSettings(ruleId).Should().NotContain(AccessToken).And.Contain("\"accessToken\":\"dp1:");
        Directory.GetFiles(Path.Combine(_directory, "postbacks-keys"), "key-*.xml").Should().NotBeEmpty();

        using var restarted = Sample();
        var rules = restarted.Services.GetRequiredService<ForwardingRuleService>();
        rules.MaskSecrets((await rules.GetAsync(ruleId))!).GetProperty("accessToken").GetString()
            .Should().Be("****" + AccessToken[^4..], "the restarted sample unprotects the token with the same keys");
    }

    private WebApplicationFactory<Program> Sample() => new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
    {
        builder.UseSetting("Postbacks:Sqlite:DataSource", Database);
        builder.UseSetting("Postbacks:Forwarding:AllowHttp", "true");
        builder.UseSetting("Postbacks:Forwarding:AllowPrivateNetworks", "true");
    });

    private string StoredSettings(string ruleId)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Database, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT settings FROM forwarding_rules WHERE id = $id";
        command.Parameters.AddWithValue("$id", ruleId);
        return (string)command.ExecuteScalar()!;
    }
}
