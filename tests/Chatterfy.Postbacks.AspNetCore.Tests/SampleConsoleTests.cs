using System.Net;
using System.Text.RegularExpressions;
using Chatterfy.Postbacks.AspNetCore.Tests.Infrastructure;

namespace Chatterfy.Postbacks.AspNetCore.Tests;

/// <summary>
/// What the sample prints when a user starts it as the README says, <c>dotnet run --project samples/…</c>, from a
/// directory of their own: once with <c>Tracker__ApiKey</c> set, once without.
/// </summary>
public sealed partial class SampleConsoleTests(SampleConsoleTests.Runs runs) : IClassFixture<SampleConsoleTests.Runs>
{
    [Fact]
    public void PrintsAConfiguredApiKeyNowhere()
    {
        runs.Configured.Output.Should().NotContain(Runs.ConfiguredKey);
        runs.Configured.Output.Should().Contain("-H 'X-Api-Key: <your Tracker:ApiKey>'");
    }

    [Fact]
    public async Task PrintsAGeneratedApiKeySaysSoAndTheKeyOpensTheTrackerApi()
    {
        var key = (await runs.Generated.WaitForLineAsync(GeneratedKeyLine(), TimeSpan.Zero)).Groups["key"].Value;
        using var client = new HttpClient { BaseAddress = new Uri(runs.GeneratedAddress) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/tracker/stats");
        request.Headers.Add("X-Api-Key", key);

        using var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        CurlLines(runs.Generated.Output).Should().HaveCount(2).And.OnlyContain(line => line.Contains($"-H 'X-Api-Key: {key}'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PrintsTheDashboardsUrlWhichSendsABrowserToItsSignInPage()
    {
        var url = (await runs.Generated.WaitForLineAsync(DashboardLine(), TimeSpan.Zero)).Groups["url"].Value;
        url.Should().Be($"{runs.GeneratedAddress}/postbacks-admin");
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

        using var response = await client.GetAsync(url + "/postbacks");

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.AbsolutePath.Should().Be("/postbacks-admin/sign-in");
    }

    [Fact]
    public void KeepsTheDatabaseInTheDirectoryTheCommandRunsInAndPrintsItsFullPath()
    {
        var database = Path.Combine(runs.ConfiguredDirectory, "postbacks.db");

        runs.Configured.Output.Should().Contain($"SQLite database: {database}");
        File.Exists(database).Should().BeTrue(runs.Configured.Output);
    }

    [Fact]
    public void EndsEveryPrintedCurlLineWithANewline()
    {
        CurlLines(runs.Configured.Output).Concat(CurlLines(runs.Generated.Output)).Should().HaveCount(4)
            .And.OnlyContain(line => line.StartsWith("  curl -s -w '\\n' ", StringComparison.Ordinal));
    }

    private static List<string> CurlLines(string output) =>
        output.Split(Environment.NewLine).Where(line => line.Contains("curl ", StringComparison.Ordinal)).ToList();

    [GeneratedRegex(@"Tracker API key \(generated[^)]*\): (?<key>[0-9a-f]{32})$")]
    private static partial Regex GeneratedKeyLine();

    [GeneratedRegex(@"^Dashboard: (?<url>http://127\.0\.0\.1:\d+/postbacks-admin) ")]
    private static partial Regex DashboardLine();

    [GeneratedRegex(@"listening on (?<address>http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningOn();

    [GeneratedRegex(@"curl .*/api/tracker/stats")]
    private static partial Regex LastLine();

    /// <summary>The two runs of the sample, each in a directory of its own, until the tests of the class end.</summary>
    public sealed class Runs : IAsyncLifetime
    {
        public const string ConfiguredKey = "configured-secret-key-5b1e9d";
        private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(90);

        public string ConfiguredDirectory { get; } = Directory.CreateTempSubdirectory("chatterfy-sample-run-").FullName;

        public string GeneratedDirectory { get; } = Directory.CreateTempSubdirectory("chatterfy-sample-run-").FullName;

        internal ChildProcess Configured { get; private set; } = null!;

        internal ChildProcess Generated { get; private set; } = null!;

        public string GeneratedAddress { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Configured = DotnetRun(ConfiguredDirectory, new Dictionary<string, string>(StringComparer.Ordinal) { ["Tracker__ApiKey"] = ConfiguredKey });
            Generated = DotnetRun(GeneratedDirectory, new Dictionary<string, string>(StringComparer.Ordinal));
            await Task.WhenAll(Configured.WaitForLineAsync(LastLine(), StartDeadline), Generated.WaitForLineAsync(LastLine(), StartDeadline));
            GeneratedAddress = (await Generated.WaitForLineAsync(ListeningOn(), TimeSpan.Zero)).Groups["address"].Value;
        }

        public async Task DisposeAsync()
        {
            await Configured.DisposeAsync();
            await Generated.DisposeAsync();
            Directory.Delete(ConfiguredDirectory, recursive: true);
            Directory.Delete(GeneratedDirectory, recursive: true);
        }

        // The README's command, without building again: the test run built the sample already.
        private static ChildProcess DotnetRun(string directory, Dictionary<string, string> environment) => ChildProcess.Start(
            directory,
            environment,
            "run",
            "--no-build",
            "-c",
            ChildProcess.BuildPath("Configuration"),
            "--project",
            ChildProcess.BuildPath("SampleProject"),
            "--",
            "--urls",
            "http://127.0.0.1:0");
    }
}
