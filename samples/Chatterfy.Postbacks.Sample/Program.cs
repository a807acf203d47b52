// The sample receiver: networks' postbacks on /api/postbacks, the tracker API on /api/tracker (X-Api-Key),
// everything stored in postbacks.db (SQLite) in the working directory, or in PostgreSQL when
// Postbacks:PostgreSql:ConnectionString is set (Postbacks__PostgreSql__ConnectionString in the environment).
using Chatterfy.Postbacks.Sample;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

var builder = WebApplication.CreateBuilder(args);

var postbacks = builder.Services.AddChatterfyPostbacks(builder.Configuration.GetSection("Postbacks"));
if (string.IsNullOrWhiteSpace(builder.Configuration["Postbacks:PostgreSql:ConnectionString"]))
{
    postbacks.UseSqlite(builder.Configuration.GetSection("Postbacks:Sqlite"));
}
else
{
    postbacks.UsePostgreSql(builder.Configuration.GetSection("Postbacks:PostgreSql"));
}

builder.Services.AddHealthChecks().AddChatterfyPostbacksHealthCheck();

var apiKey = TrackerApiKey.FromConfiguration(builder.Configuration, out var generatedKey);

var app = builder.Build();

app.MapChatterfyPostbacks();
app.MapChatterfyTrackerApi().AddEndpointFilter(apiKey);
app.MapHealthChecks("/health");

app.Lifetime.ApplicationStarted.Register(() =>
{
    var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
        ?? "http://localhost:5000";
    Console.WriteLine($"Chatterfy.Postbacks sample listening on {address}");
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
