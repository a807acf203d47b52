namespace Chatterfy.Postbacks.Sqlite.Tests.Approvals;

/// <summary>
/// Compares text with a checked-in <c>*.approved.txt</c>; on a mismatch it writes <c>*.received.txt</c> beside it so the
/// difference can be reviewed and, when deliberate, copied over the approved file.
/// </summary>
internal static class Approver
{
    /// <param name="received">The text produced by the test.</param>
    /// <param name="directory">The directory of the approved file, relative to the checkout.</param>
    /// <param name="name">The approved file's name without <c>.approved.txt</c>.</param>
    public static void Verify(string received, string directory, string name)
    {
        var fullDirectory = Path.Combine(RepositoryRoot.Path, directory);
        var approvedPath = Path.Combine(fullDirectory, name + ".approved.txt");
        var receivedPath = Path.Combine(fullDirectory, name + ".received.txt");
        var normalized = received.ReplaceLineEndings("\n");
        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).ReplaceLineEndings("\n") : null;
        if (approved == normalized)
        {
            File.Delete(receivedPath);
            return;
        }

        Directory.CreateDirectory(fullDirectory);
        File.WriteAllText(receivedPath, normalized);
        approved.Should().Be(
            normalized,
            $"the text should match {approvedPath}; the new text is in {receivedPath}: review it and copy it over the approved file if the change is deliberate");
    }
}
