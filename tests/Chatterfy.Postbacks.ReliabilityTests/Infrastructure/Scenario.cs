using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace Chatterfy.Postbacks.ReliabilityTests.Infrastructure;

/// <summary>
/// One scenario's seed, deadline and log. The seed comes from <c>RELIABILITY_SEED</c> when set (to replay a failure),
/// otherwise it is new each run; it is printed first and is part of every failure message.
/// </summary>
internal sealed class Scenario : IDisposable
{
    public const string SeedVariable = "RELIABILITY_SEED";

    private readonly ITestOutputHelper _output;
    private readonly CancellationTokenSource _deadline;
    private readonly Stopwatch _stopwatch = Stopwatch.StartNew();

    public Scenario(string name, ITestOutputHelper output, TimeSpan deadline)
    {
        Name = name;
        _output = output;
        _deadline = new CancellationTokenSource(deadline);
        Seed = Environment.GetEnvironmentVariable(SeedVariable) is { Length: > 0 } text
            ? int.Parse(text, CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        Random = new Random(Seed);
        Log($"scenario={Name} seed={Seed} (replay with {SeedVariable}={Seed})");
    }

    public string Name { get; }

    public int Seed { get; }

    public Random Random { get; }

    /// <summary>Cancelled when the scenario's global deadline passes.</summary>
    public CancellationToken Deadline => _deadline.Token;

    public TimeSpan Elapsed => _stopwatch.Elapsed;

    public void Log(string line)
    {
        var stamped = string.Create(CultureInfo.InvariantCulture, $"[{_stopwatch.Elapsed.TotalSeconds,6:0.00}s] {line}");
        _output.WriteLine(stamped);
    }

    /// <summary>The one summary line CI logs show: to the test output and to stdout.</summary>
    public string Summary(long sent, long acknowledged, long stored, long duplicates, long rejected, params (string Key, object Value)[] extra)
    {
        var line = string.Create(
            CultureInfo.InvariantCulture,
            $"scenario={Name} sent={sent} acknowledged={acknowledged} stored={stored} duplicates={duplicates} rejected={rejected}");
        foreach (var (key, value) in extra)
        {
            line += string.Create(CultureInfo.InvariantCulture, $" {key}={value}");
        }

        line += string.Create(CultureInfo.InvariantCulture, $" seed={Seed} duration={_stopwatch.Elapsed.TotalSeconds:0.0}s");
        _output.WriteLine(line);
        Console.WriteLine(line);
        return line;
    }

    /// <summary>A failure message that leads with what is needed to reproduce it.</summary>
    public string Failure(string what, params string[] details) =>
        $"scenario={Name} seed={Seed} (replay with {SeedVariable}={Seed}): {what}{Environment.NewLine}{string.Join(Environment.NewLine, details)}";

    public void Dispose() => _deadline.Dispose();
}
