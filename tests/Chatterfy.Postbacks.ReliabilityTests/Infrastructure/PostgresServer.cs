using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Chatterfy.Postbacks.ReliabilityTests.Infrastructure;

/// <summary>
/// A throw-away PostgreSQL server of the test's own (initdb + pg_ctl, as <c>.ci/run</c> starts one), so a test can stop
/// it with <c>pg_ctl stop -m immediate</c> and start it again without disturbing anyone else's database. As root, the
/// binaries run as the <c>postgres</c> user through <c>runuser</c>, because initdb and pg_ctl refuse root.
/// </summary>
internal sealed class PostgresServer : IAsyncDisposable
{
    private static readonly TimeSpan CommandDeadline = TimeSpan.FromSeconds(90);
    private static readonly Lazy<string?> Binaries = new(FindBinaries);

    // Data directories of servers still running, stopped when the test process exits, so an aborted run leaves none.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> Running = new(StringComparer.Ordinal);

    private readonly string _directory;
    private bool _running;

    static PostgresServer() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var dataDirectory in Running.Keys)
        {
            try
            {
                RunAsync(Tool("pg_ctl"), ["-D", dataDirectory, "-m", "immediate", "-w", "stop"], asPostgres: true, CancellationToken.None).GetAwaiter().GetResult();
            }
            catch (InvalidOperationException)
            {
            }
        }
    };

    private PostgresServer(string directory, int port)
    {
        _directory = directory;
        Port = port;
    }

    public int Port { get; private set; }

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Timeout=5;Command Timeout=30";

    /// <summary>Why the server cannot be started here, or <see langword="null"/> when it can.</summary>
    public static string? SkipReason
    {
        get
        {
            if (Binaries.Value is null)
            {
                return "PostgreSQL server binaries (initdb, pg_ctl) were not found on the PATH or in /usr/lib/postgresql/*/bin";
            }

            return IsRoot && (!File.Exists("/usr/sbin/runuser") && !File.Exists("/sbin/runuser") && !File.Exists("/usr/bin/runuser") || !PostgresUserExists())
                ? "Running as root needs runuser and a 'postgres' user to start a PostgreSQL server (initdb and pg_ctl refuse root)"
                : null;
        }
    }

    private static bool IsRoot => string.Equals(Environment.UserName, "root", StringComparison.Ordinal);

    private string DataDirectory => Path.Combine(_directory, "data");

    private string LogFile => Path.Combine(_directory, "server.log");

    public static async Task<PostgresServer> StartAsync(CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("chatterfy-reliability-pg-").FullName;
        var server = new PostgresServer(directory, 0);
        try
        {
            if (IsRoot)
            {
                await RunAsync("chown", ["postgres:postgres", directory], asPostgres: false, cancellationToken);
            }

            await RunAsync(Tool("initdb"), ["-D", server.DataDirectory, "-A", "trust", "-U", "postgres", "--no-sync"], asPostgres: true, cancellationToken);
            await server.StartOnFreePortAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the server again on its port (after <see cref="StopImmediateAsync"/>); it runs crash recovery.</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken)
    {
        await RunAsync(Tool("pg_ctl"), StartArguments(Port), asPostgres: true, cancellationToken);
        Running[DataDirectory] = 0;
        _running = true;
    }

    /// <summary><c>pg_ctl stop -m immediate</c>: every backend is killed at once, as in a crash or a power cut of the database.</summary>
    public async Task StopImmediateAsync(CancellationToken cancellationToken)
    {
        await RunAsync(Tool("pg_ctl"), ["-D", DataDirectory, "-m", "immediate", "-w", "-t", "60", "stop"], asPostgres: true, cancellationToken);
        Running.TryRemove(DataDirectory, out _);
        _running = false;
    }

    /// <summary>The last lines of the server's log, for failure messages.</summary>
    public string ServerLogTail(int lines = 30) =>
        File.Exists(LogFile)
            ? $"--- last lines of the PostgreSQL server log ---{Environment.NewLine}{string.Join(Environment.NewLine, File.ReadLines(LogFile).TakeLast(lines))}"
            : "(no PostgreSQL server log)";

    public async ValueTask DisposeAsync()
    {
        if (_running)
        {
            try
            {
                await RunAsync(Tool("pg_ctl"), ["-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "stop"], asPostgres: true, CancellationToken.None);
                Running.TryRemove(DataDirectory, out _);
            }
            catch (InvalidOperationException)
            {
                // Best effort; the directory goes either way.
            }
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private async Task StartOnFreePortAsync(CancellationToken cancellationToken)
    {
        const int Attempts = 5;
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            var port = FreePort();
            try
            {
                await RunAsync(Tool("pg_ctl"), StartArguments(port), asPostgres: true, cancellationToken);
                Port = port;
                Running[DataDirectory] = 0;
                _running = true;
                return;
            }
            catch (InvalidOperationException) when (attempt < Attempts)
            {
                // The port was taken in between; try another.
            }
        }
    }

    private string[] StartArguments(int port) =>
    [
        "-D", DataDirectory, "-l", LogFile, "-w", "-t", "60",
        "-o", $"-c listen_addresses=127.0.0.1 -p {port} -k {_directory} -c fsync=on -c max_connections=100",
        "start",
    ];

    private static string Tool(string name) => Path.Combine(Binaries.Value ?? throw new InvalidOperationException(SkipReason), name);

    private static async Task RunAsync(string fileName, string[] arguments, bool asPostgres, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (asPostgres && IsRoot)
        {
            startInfo.FileName = "runuser";
            foreach (var argument in new[] { "-u", "postgres", "--", fileName })
            {
                startInfo.ArgumentList.Add(argument);
            }
        }
        else
        {
            startInfo.FileName = fileName;
        }

        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(CommandDeadline);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} did not finish within {CommandDeadline.TotalSeconds:0} s: {Text()}");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} exited with {process.ExitCode}: {Text()}");
        }

        void Append(string? line)
        {
            if (line is not null)
            {
                lock (output)
                {
                    output.AppendLine(line);
                }
            }
        }

        string Text()
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    private static string? FindBinaries()
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (Directory.Exists("/usr/lib/postgresql"))
        {
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql").OrderDescending(StringComparer.Ordinal).Select(d => Path.Combine(d, "bin")));
        }

        foreach (var directory in candidates)
        {
            var initdb = Path.Combine(directory, "initdb");
            if (File.Exists(initdb) && File.Exists(Path.Combine(directory, "pg_ctl")))
            {
                // Follow a symlink (e.g. /usr/local/bin/initdb) to the real bin directory, like .ci/run does.
                var target = new FileInfo(initdb).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? initdb;
                var resolved = Path.GetDirectoryName(target)!;
                return File.Exists(Path.Combine(resolved, "pg_ctl")) ? resolved : directory;
            }
        }

        return null;
    }

    private static bool PostgresUserExists() =>
        File.Exists("/etc/passwd") && File.ReadLines("/etc/passwd").Any(l => l.StartsWith("postgres:", StringComparison.Ordinal));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

/// <summary>A fact that starts a PostgreSQL server of its own: skipped, with the reason, when the binaries are missing.</summary>
public sealed class PostgresServerFactAttribute : FactAttribute
{
    public PostgresServerFactAttribute()
    {
        if (PostgresServer.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
