using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace Chatterfy.Postbacks.Sqlite;

/// <summary>
/// Tells whether the file at the store's path is still the database file the store opened. SQLite goes on writing to a
/// file that was deleted, renamed or replaced while it had it open, so without this check postbacks would be acknowledged
/// into a file nobody will open again.
/// </summary>
/// <remarks>
/// <para>
/// Linux: a read-only handle on the file, opened with the store and held until it is disposed, and its link in
/// <c>/proc/self/fd</c>: the kernel names the file the handle refers to, and appends <c> (deleted)</c> once that name is
/// gone (deleted, or another file renamed over it). A check is one <c>readlink</c>, plus a <c>stat</c> of each of the
/// <c>-wal</c> and <c>-shm</c> files when asked; no P/Invoke.
/// </para>
/// <para>
/// macOS and the BSDs: the file's birth time, recorded when the store opened it and compared with the birth time of the
/// file at the path (a replacement is a new file with its own); a missing file is noticed too.
/// </para>
/// <para>
/// Windows: nothing to check. SQLite opens the file without <c>FILE_SHARE_DELETE</c>, so it cannot be deleted, renamed or
/// replaced while open.
/// </para>
/// <para>
/// The handle is closed only after every SQLite connection to the file: closing any descriptor of a file releases the
/// process's POSIX locks on it, SQLite's included.
/// </para>
/// </remarks>
internal sealed class SqliteFileIdentity : IDisposable
{
    private const string DeletedSuffix = " (deleted)";

    private readonly string _path;
    private readonly string _walPath;
    private readonly string _shmPath;
    private readonly bool _check;
    private readonly SafeFileHandle? _handle;
    private readonly string? _link;
    private readonly string? _linkTarget;
    private readonly DateTime? _birthTime;

    private SqliteFileIdentity(string path, bool check, SafeFileHandle? handle = null, string? link = null, string? linkTarget = null, DateTime? birthTime = null)
    {
        _path = path;
        _walPath = path + "-wal";
        _shmPath = path + "-shm";
        _check = check;
        _handle = handle;
        _link = link;
        _linkTarget = linkTarget;
        _birthTime = birthTime;
        if (handle is not null)
        {
            OpenFile = string.Create(CultureInfo.InvariantCulture, $"/proc/{Environment.ProcessId}/fd/{handle.DangerousGetHandle()}");
        }
    }

    /// <summary>
    /// Gets where the opened file can still be read while this process runs, whatever happened to its name
    /// (<c>/proc/&lt;pid&gt;/fd/&lt;n&gt;</c> on Linux), or <see langword="null"/> where there is no such place.
    /// </summary>
    public string? OpenFile { get; }

    /// <summary>Records the identity of the database file at <paramref name="path"/>, which the store has just opened.</summary>
    /// <param name="path">The full path of the database file.</param>
    /// <returns>The identity, to check before each commit.</returns>
    public static SqliteFileIdentity Open(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return new(path, check: false);
        }

        if (OperatingSystem.IsLinux())
        {
            SafeFileHandle? handle = null;
            try
            {
                handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                var link = string.Create(CultureInfo.InvariantCulture, $"/proc/self/fd/{handle.DangerousGetHandle()}");
                if (new FileInfo(link).LinkTarget is { } target && !target.EndsWith(DeletedSuffix, StringComparison.Ordinal))
                {
                    return new(path, check: true, handle, link, target);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // No /proc, or the file cannot be opened once more: the path is checked alone.
            }

            handle?.Dispose();
            return new(path, check: true);
        }

        // macOS and the BSDs keep a birth time that writes never change.
        return new(path, check: true, birthTime: File.GetCreationTimeUtc(path));
    }

    /// <summary>Tells whether the file at the path is still the opened one.</summary>
    /// <param name="withCompanions">
    /// Whether the <c>-wal</c> and <c>-shm</c> files must be there too: true for the writer inside a transaction, when
    /// SQLite always has them open.
    /// </param>
    /// <param name="change">When not: what changed, for the log.</param>
    /// <returns><see langword="true"/> when the file at the path is the opened one.</returns>
    public bool IsInPlace(bool withCompanions, [NotNullWhen(false)] out string? change)
    {
        change = null;
        if (!_check)
        {
            return true;
        }

        if (_link is not null)
        {
            var target = new FileInfo(_link).LinkTarget;
            if (!string.Equals(target, _linkTarget, StringComparison.Ordinal))
            {
                change = target is null || target.EndsWith(DeletedSuffix, StringComparison.Ordinal)
                    ? "the file was deleted, or another file was put in its place"
                    : $"the file was renamed to '{target}'";
                return false;
            }
        }
        else if (!File.Exists(_path))
        {
            change = "the file is gone";
            return false;
        }
        else if (_birthTime is { } born && File.GetCreationTimeUtc(_path) != born)
        {
            change = "another file was put in its place";
            return false;
        }

        if (withCompanions)
        {
            if (!File.Exists(_walPath))
            {
                change = "its write-ahead log (-wal) was deleted";
                return false;
            }

            if (!File.Exists(_shmPath))
            {
                change = "its shared-memory file (-shm) was deleted";
                return false;
            }
        }

        return true;
    }

    /// <summary>Closes the handle; call it after the last SQLite connection to the file is closed.</summary>
    public void Dispose() => _handle?.Dispose();
}
