namespace Chatterfy.Postbacks.Tests.Repository;

/// <summary>The checkout (the directory holding Postbacks.sln) above the test binaries, for tests that read docs and sources.</summary>
internal static class Checkout
{
    /// <summary>Gets the full path of the checkout.</summary>
    public static string Root { get; } = Find();

    /// <summary>Reads a file of the checkout with <c>\n</c> line endings.</summary>
    /// <param name="relativePath">The path from the checkout, with <c>/</c> separators, e.g. <c>docs/forwarding.md</c>.</param>
    /// <returns>The text.</returns>
    public static string ReadText(string relativePath) =>
        File.ReadAllText(Path.Combine([Root, .. relativePath.Split('/')])).ReplaceLineEndings("\n");

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Postbacks.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Cannot find the checkout (Postbacks.sln) above {AppContext.BaseDirectory}.");
    }
}
