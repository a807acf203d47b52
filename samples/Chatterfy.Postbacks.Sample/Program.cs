// The sample receiver: networks' postbacks on /api/postbacks, the tracker API on /api/tracker (X-Api-Key, checked by
// the ChatterfyApiKey authentication scheme), everything stored in postbacks.db (SQLite) in the directory the command
// runs in.
//
// Postbacks:Store chooses the store (the ingest benchmark runs the same host on each):
//   Sqlite (the default)  Postbacks:Sqlite:DataSource, postbacks.db unless set; a relative path is taken from the
//                         directory the command runs in, and the full path is printed at start
//   PostgreSql            Postbacks:PostgreSql:ConnectionString, e.g. Host=127.0.0.1;Username=postgres;Database=postbacks
//   InMemory              nothing is kept when the host stops
// e.g. dotnet run --project samples/Chatterfy.Postbacks.Sample -- --Postbacks:Store=InMemory
//
// Tracker:ApiKey is the tracker API's key (e.g. Tracker__ApiKey=... in the environment); when it is not set, the sample
// generates one for the run and prints it.
//
// The dashboard is at /postbacks-admin (its sign-in page takes the tracker API key).
//
// Forwarding (Facebook Conversions API, S2S postbacks) is on: rules are created through /api/tracker/forwarding-rules,
// options come from Postbacks:Forwarding (docs/forwarding.md). Clicks from ads go through /api/go/{campaignId}.
using System.Security.Cryptography;
using Chatterfy.Postbacks.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

// dotnet run starts the sample in the directory the command runs in (RunWorkingDirectory in the project file), so the
// content root (appsettings.json) is the build output rather than the working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

var postbacks = builder.Services.AddChatterfyPostbacks(builder.Configuration.GetSection("Postbacks"));
var store = builder.Configuration["Postbacks:Store"];
string? database = null;
switch (store?.ToUpperInvariant())
{
    case null or "" or "SQLITE":
        // An explicit full path, printed at start: a relative DataSource is taken from the directory the command runs in.
        database = Path.GetFullPath(builder.Configuration["Postbacks:Sqlite:DataSource"] is { Length: > 0 } dataSource ? dataSource : "postbacks.db");
        builder.Configuration["Postbacks:Sqlite:DataSource"] = database;
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

// The dashboard (docs/dashboard.md): its sign-in page takes the tracker API's key.
postbacks.AddDashboard();

// Rule secrets are stored protected (Postbacks:Forwarding:ProtectSecrets in appsettings.json); keys beside the database.
builder.Services.AddDataProtection().KeepSampleKeysBesideTheDatabase();

builder.Services.AddHealthChecks().AddChatterfyPostbacksHealthCheck();

// The tracker API's key: Tracker:ApiKey, or one generated for this run (printed below, as only then is it not a secret
// the user already holds).
var configuredKey = builder.Configuration["Tracker:ApiKey"];
var generatedKey = string.IsNullOrWhiteSpace(configuredKey) ? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) : null;
builder.Services.AddAuthentication(ChatterfyApiKeyDefaults.AuthenticationScheme)
    .AddChatterfyApiKey(options => options.Keys.Add(generatedKey ?? configuredKey!));
builder.Services.AddAuthorization();

var app = builder.Build();

app.MapChatterfyPostbacks();
app.MapChatterfyTrackerApi().RequireAuthorization();
app.MapChatterfyClickRedirect();
app.MapChatterfyDashboard("/postbacks-admin").RequireAuthorization();
app.MapHealthChecks("/health");

app.Lifetime.ApplicationStarted.Register(() =>
{
    var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
        ?? "http://localhost:5000";
    var keyHeader = $"{ChatterfyApiKeyDefaults.HeaderName}: {generatedKey ?? "<your Tracker:ApiKey>"}";
    Console.WriteLine($"Chatterfy.Postbacks sample listening on {address} ({store ?? "Sqlite"} store)");
    if (database is not null)
    {
        Console.WriteLine($"SQLite database: {database}");
    }

    Console.WriteLine(generatedKey is not null
        ? $"Tracker API key (generated for this run; set Tracker__ApiKey to choose one): {generatedKey}"
        : "Tracker API key: from configuration (Tracker:ApiKey)");
    Console.WriteLine($"Dashboard: {address}/postbacks-admin (sign in with the tracker API key)");
    Console.WriteLine("Try it (docs/getting-started.md walks through the rest):");
    Console.WriteLine($"  curl -s -w '\\n' -X POST {address}/api/tracker/postback-sets -H '{keyHeader}' -H 'Content-Type: application/json' -d '{{\"name\":\"Binomo\",\"network\":\"binomo\"}}'");
    Console.WriteLine($"  curl -s -w '\\n' {address}/api/tracker/stats -H '{keyHeader}'");
});

app.Run();

/// <summary>The sample host's entry point; public so integration tests can start it with WebApplicationFactory.</summary>
public partial class Program;
