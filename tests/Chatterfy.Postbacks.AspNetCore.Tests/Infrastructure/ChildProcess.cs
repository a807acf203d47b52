using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Chatterfy.Postbacks.AspNetCore.Tests.Infrastructure;

/// <summary>
/// A <c>dotnet</c> command run as a user runs it (a host's build output, or <c>dotnet run</c>), in a working directory of
/// the test's choosing, with its output captured line by line. Disposing kills the whole process tree.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private static readonly TimeSpan ExitDeadline = TimeSpan.FromSeconds(15);

    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly List<(Regex Pattern, TaskCompletionSource<Match> Found)> _waiters = [];
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _openStreams = 2;

    private ChildProcess(Process process) => _process = process;

    /// <summary>The build output or project path recorded by the test project file under <paramref name="key"/>.</summary>
    public static string BuildPath(string key) => typeof(ChildProcess).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == key).Value!;

    /// <summary>Everything the process wrote so far, stdout and stderr interleaved as received.</summary>
    public string Output
    {
        get
        {
            lock (_lock)
            {
                return string.Join(Environment.NewLine, _lines);
            }
        }
    }

    /// <summary>Starts <c>dotnet</c> with <paramref name="arguments"/> in <paramref name="workingDirectory"/>.</summary>
    public static ChildProcess Start(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // The test's own host settings must not leak into the child: it listens where its arguments say.
        foreach (var name in new[] { "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_URLS", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT" })
        {
            startInfo.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }

        var child = new ChildProcess(new Process { StartInfo = startInfo, EnableRaisingEvents = true });
        child._process.OutputDataReceived += (_, e) => child.Add(e.Data);
        child._process.ErrorDataReceived += (_, e) => child.Add(e.Data);
        if (!child._process.Start())
        {
            child._process.Dispose();
            throw new InvalidOperationException($"Could not start {startInfo.FileName}.");
        }

        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        return child;
    }

    /// <summary>
    /// Waits until a line matches <paramref name="pattern"/> (also a line written before the call), failing with the
    /// output so far when the process ends first or <paramref name="deadline"/> passes.
    /// </summary>
    public async Task<Match> WaitForLineAsync(Regex pattern, TimeSpan deadline)
    {
        var found = new TaskCompletionSource<Match>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            foreach (var line in _lines)
            {
                if (pattern.Match(line) is { Success: true } match)
                {
                    return match;
                }
            }

            _waiters.Add((pattern, found));
        }

        var first = await Task.WhenAny(found.Task, _exited.Task, Task.Delay(deadline));
        if (first == found.Task)
        {
            return await found.Task;
        }

        // The output may still hold the line when the process ended right after writing it.
        if (first == _exited.Task && found.Task.IsCompleted)
        {
            return await found.Task;
        }

        var why = first == _exited.Task ? "the process ended" : $"{deadline.TotalSeconds:0} s passed";
        throw new InvalidOperationException($"No output line matched /{pattern}/ before {why}. Output:{Environment.NewLine}{Output}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }

        using var exit = new CancellationTokenSource(ExitDeadline);
        await _process.WaitForExitAsync(exit.Token);
        _process.Dispose();
    }

    private void Add(string? line)
    {
        lock (_lock)
        {
            if (line is null)
            {
                if (--_openStreams == 0)
                {
                    _exited.TrySetResult();
                }

                return;
            }

            _lines.Add(line);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Pattern.Match(line) is { Success: true } match)
                {
                    _waiters[i].Found.TrySetResult(match);
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path && File.Exists(path) ? path : "dotnet";
}
