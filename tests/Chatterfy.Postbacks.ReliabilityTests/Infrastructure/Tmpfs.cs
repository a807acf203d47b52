using System.Collections.Concurrent;
using System.Diagnostics;

namespace Chatterfy.Postbacks.ReliabilityTests.Infrastructure;

/// <summary>
/// A small tmpfs of the test's own (<c>mount -t tmpfs -o size=…</c>), so a scenario can fill the disk under the database
/// and free it again without touching anyone else's. Mounting needs Linux and root: CI runs as root; elsewhere the tests
/// that need it are skipped (<see cref="TmpfsFactAttribute"/>). Unmounted on disposal, and when the test process exits.
/// </summary>
internal sealed class Tmpfs : IAsyncDisposable
{
    private static readonly TimeSpan CommandDeadline = TimeSpan.FromSeconds(30);
    private static readonly Lazy<string?> Probe = new(ProbeMount);

    // Mount points still mounted, unmounted when the test process exits, so an aborted run leaves none behind.
    private static readonly ConcurrentDictionary<string, byte> Mounted = new(StringComparer.Ordinal);

    private readonly string _filler;
    private bool _mounted = true;

    static Tmpfs() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var path in Mounted.Keys)
        {
            Unmount(path);
        }
    };

    private Tmpfs(string path)
    {
        Path = path;
        _filler = System.IO.Path.Combine(path, "filler");
    }

    /// <summary>Why a tmpfs cannot be mounted here, or <see langword="null"/> when it can (a real mount is tried once).</summary>
    public static string? SkipReason => Probe.Value;

    /// <summary>Gets the mount point.</summary>
    public string Path { get; }

    /// <summary>Mounts a tmpfs of <paramref name="megabytes"/> MiB on a new temporary directory.</summary>
    public static async Task<Tmpfs> MountAsync(int megabytes, CancellationToken cancellationToken)
    {
        var path = Directory.CreateTempSubdirectory("chatterfy-reliability-tmpfs-").FullName;
        var (exitCode, text) = await RunAsync("mount", ["-t", "tmpfs", "-o", $"size={megabytes}m,mode=0755", "tmpfs", path], cancellationToken);
        if (exitCode != 0)
        {
            Directory.Delete(path);
            throw new InvalidOperationException($"mount -t tmpfs on {path} failed ({exitCode}): {text}");
        }

        Mounted[path] = 0;
        return new Tmpfs(path);
    }

    /// <summary>
    /// Fills every byte left with a file of its own, in ever smaller writes down to one byte, so not even one page is free.
    /// Safe to call again: it tops the filler up.
    /// </summary>
    /// <returns>How many bytes the filler holds.</returns>
    public long Fill()
    {
        using var stream = new FileStream(_filler, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
        var chunk = new byte[1 << 20];
        for (var size = chunk.Length; size >= 1; size /= 16)
        {
            // Bounded: a tmpfs of this size holds at most (size of the tmpfs / size) chunks.
            for (var written = 0; written < 1_000_000; written++)
            {
                try
                {
                    stream.Write(chunk, 0, size);
                }
                catch (IOException)
                {
                    break;
                }
            }
        }

        return stream.Length;
    }

    /// <summary>Deletes the filler: the space is back.</summary>
    public void Free() => File.Delete(_filler);

    /// <summary>Unmounts (lazily, if something still holds a file open) and removes the mount point.</summary>
    public ValueTask DisposeAsync()
    {
        if (_mounted)
        {
            _mounted = false;
            Unmount(Path);
            Mounted.TryRemove(Path, out _);
        }

        return ValueTask.CompletedTask;
    }

    private static void Unmount(string path)
    {
        var (exitCode, _) = RunAsync("umount", [path], CancellationToken.None).GetAwaiter().GetResult();
        if (exitCode != 0)
        {
            RunAsync("umount", ["-l", path], CancellationToken.None).GetAwaiter().GetResult();
        }

        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // Still mounted (a lazy unmount finishes later): the empty directory in the temp folder is harmless.
        }
    }

    private static string? ProbeMount()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "Filling a disk needs a tmpfs of the test's own, which needs Linux";
        }

        if (!string.Equals(Environment.UserName, "root", StringComparison.Ordinal))
        {
            return "Filling a disk needs a tmpfs of the test's own, which needs root to mount (CI runs as root)";
        }

        try
        {
            var tmpfs = MountAsync(1, CancellationToken.None).GetAwaiter().GetResult();
            tmpfs.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return null;
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or IOException)
        {
            return "Filling a disk needs a tmpfs of the test's own, and mounting one failed: " + ex.Message;
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {tool}.");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(CommandDeadline);
        var stdout = process.StandardOutput.ReadToEndAsync(deadline.Token);
        var stderr = process.StandardError.ReadToEndAsync(deadline.Token);
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, (await stdout + await stderr).Trim());
    }
}

/// <summary>
/// A fact that needs a tmpfs of its own (<see cref="Tmpfs"/>): skipped, with the reason shown, where one cannot be
/// mounted. Decided when the tests are discovered, by mounting and unmounting a 1 MiB tmpfs once.
/// </summary>
public sealed class TmpfsFactAttribute : FactAttribute
{
    public TmpfsFactAttribute()
    {
        if (Tmpfs.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
