using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Chatterfy.Postbacks.AspNetCore.Tests.Infrastructure;

namespace Chatterfy.Postbacks.AspNetCore.Tests.Docs;

/// <summary>
/// The README's host snippet is <c>tests/Chatterfy.Postbacks.ReadmeHost/Program.cs</c> verbatim, and that host runs as
/// written: its build output on Kestrel (127.0.0.1), in a directory of its own, keys from the environment.
/// </summary>
public sealed partial class ReadmeHostTests : IDisposable
{
    private const string Key = "readme-key-3c9a7e41b20f";
    private const string RotatedKey = "readme-key-next-8d21c6e5";
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);

    private readonly string _directory = Directory.CreateTempSubdirectory("chatterfy-readme-host-").FullName;

    [Theory]
    [InlineData("README.md")]
    [InlineData("docs/dashboard.md")]
    public void ShowsTheCompiledHostVerbatim(string page)
    {
        var root = ChildProcess.BuildPath("RepositoryRoot");
        var host = File.ReadAllText(Path.Combine(root, "tests", "Chatterfy.Postbacks.ReadmeHost", "Program.cs")).ReplaceLineEndings("\n");
        var text = File.ReadAllText(Path.Combine(root, page)).ReplaceLineEndings("\n");

        text.Should().Contain(
            "```csharp\n" + host + "```\n",
            $"{page} should show tests/Chatterfy.Postbacks.ReadmeHost/Program.cs as it is compiled; copy the file into it after changing it");
    }

    [Fact]
    public async Task RunsAsWrittenWithTheTrackerApiAndTheDashboardBehindItsKeysAndTheReceiverOpen()
    {
        await using var host = ChildProcess.Start(
            _directory,
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["Tracker__Keys__0"] = Key,
                ["Tracker__Keys__1"] = RotatedKey,
            },
            ChildProcess.BuildPath("ReadmeHostAssembly"),
            "--urls",
            "http://127.0.0.1:0");
        var address = (await host.WaitForLineAsync(ListeningOn(), StartDeadline)).Groups["address"].Value;
        using var client = new HttpClient { BaseAddress = new Uri(address) };

        using var anonymous = await client.GetAsync("/api/tracker/stats");
        using var wrong = await SendAsync(client, "/api/tracker/stats", "not-" + Key);
        using var withKey = await SendAsync(client, "/api/tracker/stats", Key);
        using var withRotatedKey = await SendAsync(client, "/api/tracker/stats", RotatedKey);
        using var unknownToken = await client.GetAsync("/api/postbacks/AAAAAAAAAAAAAAAAAAAAAA/registration?click_id=abc");
        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(address) };
        using var dashboard = await noRedirects.GetAsync("/postbacks-admin/postbacks");
        using var signIn = await client.GetAsync("/postbacks-admin/sign-in");

        anonymous.StatusCode.Should().Be(HttpStatusCode.Unauthorized, host.Output);
        anonymous.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
        var problem = await anonymous.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("status").GetInt32().Should().Be(401);
        problem.GetProperty("code").GetString().Should().Be("api_key_missing");
        wrong.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        withKey.StatusCode.Should().Be(HttpStatusCode.OK, host.Output);
        (await withKey.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("clicks").GetInt64().Should().Be(0);
        withRotatedKey.StatusCode.Should().Be(HttpStatusCode.OK, "every key in Tracker:Keys is accepted during a rotation");
        unknownToken.StatusCode.Should().Be(HttpStatusCode.NotFound, host.Output);
        dashboard.StatusCode.Should().Be(HttpStatusCode.Redirect, "the dashboard is behind the same keys");
        dashboard.Headers.Location!.AbsolutePath.Should().Be("/postbacks-admin/sign-in");
        signIn.StatusCode.Should().Be(HttpStatusCode.OK, host.Output);
        File.Exists(Path.Combine(_directory, "postbacks.db")).Should().BeTrue("the snippet's UseSqlite(\"postbacks.db\") is relative to where the host runs");
        host.Output.Should().NotContain(Key).And.NotContain(RotatedKey);
    }

    [Fact]
    public async Task RefusesToStartWithoutKeysNamingTheSetting()
    {
        await using var host = ChildProcess.Start(
            _directory,
            new Dictionary<string, string>(StringComparer.Ordinal),
            ChildProcess.BuildPath("ReadmeHostAssembly"),
            "--urls",
            "http://127.0.0.1:0");

        var line = await host.WaitForLineAsync(NoKeys(), StartDeadline);

        line.Value.Should().Contain("Tracker__Keys__0");
        host.Output.Should().NotContain("Now listening on");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string path, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Api-Key", key);
        return await client.SendAsync(request);
    }

    [GeneratedRegex(@"Tracker:Keys must list at least one API key.*")]
    private static partial Regex NoKeys();

    [GeneratedRegex(@"Now listening on: (?<address>http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningOn();
}
