namespace Chatterfy.Postbacks.Sqlite.Tests;

/// <summary>Finds the checkout (the directory holding Postbacks.sln) above the test binaries.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Postbacks.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Cannot find the checkout (Postbacks.sln) above {AppContext.BaseDirectory}.");
    }
}
