using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace Chatterfy.Postbacks.ReliabilityTests.Infrastructure;

/// <summary>
/// The sample receiver host (<c>samples/Chatterfy.Postbacks.Sample</c>) as a child process on 127.0.0.1, started from
/// its build output with <c>dotnet</c>. It can be killed with SIGKILL (<see cref="Process.Kill()"/> on Linux) and started
/// again on the same data and port, as an orchestrator restarts a crashed container.
/// </summary>
internal sealed class SampleHost : IAsyncDisposable
{
    public const string ApiKey = "reliability-tracker-key";

    private const int OutputLines = 200;
    private const int CriticalLinesKept = 100;
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan ExitDeadline = TimeSpan.FromSeconds(15);

    // Every child still running, killed when the test process exits, so an aborted run leaves no host behind.
    private static readonly ConcurrentDictionary<int, Process> Running = new();

    private readonly Dictionary<string, string> _environment;
    private readonly Queue<string> _output = new();
    private readonly List<string> _critical = [];
    private readonly Lock _outputLock = new();
    private long _outputBytes;
    private Process? _process;

    private SampleHost(string name, IReadOnlyDictionary<string, string> environment)
    {
        Name = name;
        _environment = new Dictionary<string, string>(environment, StringComparer.Ordinal)
        {
            ["Tracker__ApiKey"] = ApiKey,
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
        };
    }

    public string Name { get; }

    /// <summary>The loopback port; kept across restarts.</summary>
    public int Port { get; private set; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    /// <summary>How many times the process was started and became healthy.</summary>
    public int Starts { get; private set; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The path of the sample's build output, recorded by the project file.</summary>
    static SampleHost() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var process in Running.Values)
        {
            try
            {
                process.Kill();
            }
            catch (InvalidOperationException)
            {
            }
        }
    };

    public static string AssemblyPath { get; } = typeof(SampleHost).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "SampleHostAssembly").Value!;

    /// <summary>The sample host's environment for the SQLite store in <paramref name="dataSource"/>.</summary>
    public static Dictionary<string, string> SqliteEnvironment(string dataSource) => new(StringComparer.Ordinal)
    {
        ["Postbacks__Store"] = "Sqlite",
        ["Postbacks__Sqlite__DataSource"] = dataSource,
    };

    /// <summary>Starts a host with the given environment (store configuration) and waits until <c>/health</c> answers 200.</summary>
    public static async Task<SampleHost> StartAsync(string name, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var host = new SampleHost(name, environment);
        try
        {
            await host.StartAsync(cancellationToken);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>(Re)starts the process on the same data and, when it is still free, the same port.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"The sample host '{Name}' is already running.");
        }

        if (!File.Exists(AssemblyPath))
        {
            throw new InvalidOperationException($"The sample host was not built: {AssemblyPath} does not exist. Build the solution first.");
        }

        // A port chosen as free may be taken before the host binds it: then the process exits and another port is tried.
        const int Attempts = 3;
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            if (Port == 0 || attempt > 1)
            {
                Port = FreePort();
            }

            StartProcess();
            if (await WaitUntilHealthyAsync(StartDeadline, cancellationToken))
            {
                Starts++;
                return;
            }

            if (IsRunning)
            {
                Kill();
                break;
            }
        }

        throw new InvalidOperationException(
            $"The sample host '{Name}' did not answer 200 on {BaseAddress}health within {StartDeadline.TotalSeconds:0} s.{Environment.NewLine}{Output()}");
    }

    /// <summary>Polls <c>/health</c> until it answers 200, the process exits, or the deadline passes.</summary>
    public async Task<bool> WaitUntilHealthyAsync(TimeSpan deadline, CancellationToken cancellationToken)
    {
        using var client = HttpClients.Create(BaseAddress, TimeSpan.FromSeconds(2), maxConnections: 1);
        var stopwatch = Stopwatch.StartNew();
        const int MaxPolls = 5_000;
        for (var poll = 0; poll < MaxPolls && stopwatch.Elapsed < deadline; poll++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!IsRunning)
            {
                return false;
            }

            if (await HealthStatusAsync(client, cancellationToken) == HttpStatusCode.OK)
            {
                return true;
            }

            // Synchronisation with the child process: a short pause between polls, bounded by count and deadline.
            await Task.Delay(25, cancellationToken);
        }

        return false;
    }

    /// <summary>The status of <c>/health</c>, or <see langword="null"/> when nothing answered.</summary>
    public async Task<HttpStatusCode?> HealthAsync(CancellationToken cancellationToken)
    {
        using var client = HttpClients.Create(BaseAddress, TimeSpan.FromSeconds(5), maxConnections: 1);
        return await HealthStatusAsync(client, cancellationToken);
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing, no disposal; what the store committed is all there is.</summary>
    public void Kill()
    {
        if (_process is null)
        {
            return;
        }

        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }

        if (!_process.WaitForExit(ExitDeadline))
        {
            throw new InvalidOperationException($"The sample host '{Name}' (pid {_process.Id}) did not exit within {ExitDeadline.TotalSeconds:0} s of SIGKILL.");
        }

        // Drain the redirected output (the pipes close with the process).
        _process.WaitForExit();
        Running.TryRemove(_process.Id, out _);
        AddOutput($"[harness] {Name} killed (SIGKILL), exit code {_process.ExitCode}");
        _process.Dispose();
        _process = null;
    }

    /// <summary>
    /// SIGTERM, as an orchestrator stops a container: the host shuts down gracefully (its hosted services stop). Waits
    /// until the process has exited.
    /// </summary>
    public void Terminate()
    {
        if (_process is null)
        {
            return;
        }

        var signal = new ProcessStartInfo("kill") { UseShellExecute = false };
        signal.ArgumentList.Add("-TERM");
        signal.ArgumentList.Add(_process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using (var kill = Process.Start(signal) ?? throw new InvalidOperationException("Could not run kill."))
        {
            kill.WaitForExit(ExitDeadline);
        }

        if (!_process.WaitForExit(ExitDeadline))
        {
            throw new InvalidOperationException($"The sample host '{Name}' (pid {_process.Id}) did not exit within {ExitDeadline.TotalSeconds:0} s of SIGTERM.{Environment.NewLine}{Output()}");
        }

        _process.WaitForExit();
        Running.TryRemove(_process.Id, out _);
        AddOutput($"[harness] {Name} terminated (SIGTERM), exit code {_process.ExitCode}");
        _process.Dispose();
        _process = null;
    }

    /// <summary>The last lines the process wrote, for failure messages.</summary>
    public string Output()
    {
        lock (_outputLock)
        {
            return $"--- last {_output.Count} output lines of sample host '{Name}' ---{Environment.NewLine}{string.Join(Environment.NewLine, _output)}";
        }
    }

    /// <summary>Gets how many bytes (UTF-16 characters and line ends) the processes wrote to stdout and stderr in all.</summary>
    public long OutputBytes => Interlocked.Read(ref _outputBytes);

    /// <summary>The console logger's header lines of critical entries (<c>crit: Category[EventId]</c>), the first 100.</summary>
    public IReadOnlyList<string> CriticalLines()
    {
        lock (_outputLock)
        {
            return [.. _critical];
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        return ValueTask.CompletedTask;
    }

    private void StartProcess()
    {
        var startInfo = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,

            // The content root is the working directory: the sample's appsettings.json is found beside its assembly.
            WorkingDirectory = Path.GetDirectoryName(AssemblyPath)!,
        };
        startInfo.ArgumentList.Add(AssemblyPath);
        startInfo.ArgumentList.Add("--urls");
        startInfo.ArgumentList.Add($"http://127.0.0.1:{Port}");
        foreach (var name in new[] { "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_URLS" })
        {
            startInfo.Environment.Remove(name);
        }

        foreach (var (name, value) in _environment)
        {
            startInfo.Environment[name] = value;
        }

        var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => AddOutput(e.Data);
        process.ErrorDataReceived += (_, e) => AddOutput(e.Data);
        if (!process.Start())
        {
            process.Dispose();
            throw new InvalidOperationException($"Could not start {startInfo.FileName} {AssemblyPath}.");
        }

        Running[process.Id] = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        AddOutput($"[harness] {Name} started, pid {process.Id}, port {Port}");
    }

    private static async Task<HttpStatusCode?> HealthStatusAsync(HttpClient client, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.GetAsync("health", cancellationToken);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private void AddOutput(string? line)
    {
        if (line is null)
        {
            return;
        }

        Interlocked.Add(ref _outputBytes, line.Length + 1);
        lock (_outputLock)
        {
            if (line.StartsWith("crit:", StringComparison.Ordinal) && _critical.Count < CriticalLinesKept)
            {
                _critical.Add(line);
            }

            _output.Enqueue(line);
            while (_output.Count > OutputLines)
            {
                _output.Dequeue();
            }
        }
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path && File.Exists(path) ? path : "dotnet";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
