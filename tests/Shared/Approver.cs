using System.Runtime.CompilerServices;

namespace Chatterfy.Postbacks.Tests.Approvals;

/// <summary>
/// Compares text with a checked-in <c>*.approved.txt</c> beside the test; on a mismatch it writes <c>*.received.txt</c>
/// so the difference can be reviewed and, when deliberate, copied over the approved file.
/// </summary>
internal static class Approver
{
    public static void Verify(string received, string name, [CallerFilePath] string callerFile = "")
    {
        var directory = Path.Combine(Path.GetDirectoryName(SourcePath(callerFile))!, "Approved");
        var approvedPath = Path.Combine(directory, name + ".approved.txt");
        var receivedPath = Path.Combine(directory, name + ".received.txt");
        var normalized = received.ReplaceLineEndings("\n");
        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).ReplaceLineEndings("\n") : null;
        if (approved == normalized)
        {
            File.Delete(receivedPath);
            return;
        }

        Directory.CreateDirectory(directory);
        File.WriteAllText(receivedPath, normalized);
        approved.Should().Be(
            normalized,
            $"the text should match {approvedPath}; the new text is in {receivedPath}: review it and copy it over the approved file if the change is deliberate");
    }

    // CI builds map source paths to "/_/" (deterministic builds); find the checkout by walking up to Postbacks.sln.
    private static string SourcePath(string callerFile)
    {
        const string MappedRoot = "/_/";
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
