// The sample receiver: networks' postbacks on /api/postbacks, the tracker API on /api/tracker (X-Api-Key),
// everything stored in postbacks.db (SQLite) in the working directory.
//
// Postbacks:Store chooses the store (the ingest benchmark runs the same host on each):
//   Sqlite (the default)  Postbacks:Sqlite:DataSource, postbacks.db unless set
//   PostgreSql            Postbacks:PostgreSql:ConnectionString, e.g. Host=127.0.0.1;Username=postgres;Database=postbacks
//   InMemory              nothing is kept when the host stops
// e.g. dotnet run --project samples/Chatterfy.Postbacks.Sample -- --Postbacks:Store=InMemory
//
// Forwarding (Facebook Conversions API, S2S postbacks) is on: rules are created through /api/tracker/forwarding-rules,
// options come from Postbacks:Forwarding (docs/forwarding.md). Clicks from ads go through /api/go/{campaignId}.
using Chatterfy.Postbacks.Sample;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

var builder = WebApplication.CreateBuilder(args);

var postbacks = builder.Services.AddChatterfyPostbacks(builder.Configuration.GetSection("Postbacks"));
var store = builder.Configuration["Postbacks:Store"];
switch (store?.ToUpperInvariant())
{
    case null or "" or "SQLITE":
        postbacks.UseSqlite(builder.Configuration.GetSection("Postbacks:Sqlite"));
        break;
    case "POSTGRESQL":
        postbacks.UsePostgreSql(builder.Configuration.GetSection("Postbacks:PostgreSql"));
        break;
    case "INMEMORY":
        postbacks.UseInMemoryStore();
        break;
    default:
        throw new InvalidOperationException($"Postbacks:Store is '{store}'; use Sqlite (the default), PostgreSql or InMemory.");
}

postbacks.AddForwarding(builder.Configuration.GetSection("Postbacks:Forwarding"));

// Rule secrets are stored protected (Postbacks:Forwarding:ProtectSecrets in appsettings.json); keys beside the database.
builder.Services.AddDataProtection().KeepSampleKeysBesideTheDatabase();

builder.Services.AddHealthChecks().AddChatterfyPostbacksHealthCheck();

var apiKey = TrackerApiKey.FromConfiguration(builder.Configuration, out var generatedKey);

var app = builder.Build();

app.MapChatterfyPostbacks();
app.MapChatterfyTrackerApi().AddEndpointFilter(apiKey);
app.MapChatterfyClickRedirect();
app.MapHealthChecks("/health");

app.Lifetime.ApplicationStarted.Register(() =>
{
    var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
        ?? "http://localhost:5000";
    Console.WriteLine($"Chatterfy.Postbacks sample listening on {address} ({store ?? "Sqlite"} store)");
    Console.WriteLine(generatedKey
        ? $"Tracker API key (generated; set Tracker__ApiKey to choose one): {apiKey.Value}"
        : "Tracker API key: from configuration (Tracker:ApiKey)");
    Console.WriteLine("Try it (docs/getting-started.md walks through the rest):");
    Console.WriteLine($"  curl -s -X POST {address}/api/tracker/postback-sets -H 'X-Api-Key: {apiKey.Value}' -H 'Content-Type: application/json' -d '{{\"name\":\"Binomo\",\"network\":\"binomo\"}}'");
    Console.WriteLine($"  curl -s {address}/api/tracker/stats -H 'X-Api-Key: {apiKey.Value}'");
});

app.Run();

/// <summary>The sample host's entry point; public so integration tests can start it with WebApplicationFactory.</summary>
public partial class Program;
