namespace Chatterfy.Postbacks.PostgreSql.Tests;

/// <summary>Finds files of the checkout from a test's <c>[CallerFilePath]</c>.</summary>
internal static class SourceFiles
{
    private const string MappedRoot = "/_/";

    /// <summary>
    /// The real path of a source file. CI builds map source paths to <c>/_/</c> (deterministic builds), so a mapped
    /// path is resolved against the checkout found by walking up from the test binaries to <c>Postbacks.sln</c>.
    /// </summary>
    public static string Resolve(string callerFile)
    {
        if (!callerFile.StartsWith(MappedRoot, StringComparison.Ordinal))
        {
            return callerFile;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Postbacks.sln")))
            {
                return Path.Combine(dir.FullName, callerFile[MappedRoot.Length..]);
            }
        }

        throw new InvalidOperationException($"Cannot find the checkout (Postbacks.sln) above {AppContext.BaseDirectory} to locate {callerFile}.");
    }
}
