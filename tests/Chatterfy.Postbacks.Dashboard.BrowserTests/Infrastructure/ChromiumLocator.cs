namespace Chatterfy.Postbacks.Dashboard.BrowserTests.Infrastructure;

/// <summary>
/// Finds the Chromium the tests drive: <c>CHROMIUM_PATH</c> when set, else <c>chromium</c> (Debian's package, which
/// <c>.ci/run</c> installs when it is missing) or <c>chromium-browser</c> on the PATH. Playwright's own browser download is
/// never used.
/// </summary>
internal static class ChromiumLocator
{
    /// <summary>The environment variable that names the Chromium (or Chrome) executable to use.</summary>
    public const string EnvironmentVariable = "CHROMIUM_PATH";

    private static readonly string[] Names = ["chromium", "chromium-browser"];

    /// <summary>Returns the executable's path.</summary>
    /// <returns>The path of an existing file.</returns>
    /// <exception cref="InvalidOperationException">No Chromium was found; the message says how to install or name one.</exception>
    public static string Find()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return File.Exists(configured)
                ? configured
                : throw new InvalidOperationException($"{EnvironmentVariable} is '{configured}', which is not a file. Point it at a Chromium or Chrome executable.");
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var name in Names)
        {
            foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = Path.Combine(directory, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new InvalidOperationException(
            "The dashboard's browser tests need Chromium and none was found (no chromium or chromium-browser on the PATH). " +
            $"Install Debian's package (apt-get install chromium; .ci/run does this when it runs as root) or set {EnvironmentVariable} " +
            "to a Chromium or Chrome executable. Playwright's own browser download is not used.");
    }
}
