using System.Runtime.CompilerServices;

namespace Chatterfy.Postbacks.AspNetCore.Tests.Approvals;

/// <summary>
/// Compares text with a checked-in <c>*.approved.txt</c> beside the test; on a mismatch it writes <c>*.received.txt</c>
/// so the difference can be reviewed and, when deliberate, copied over the approved file.
/// </summary>
internal static class Approver
{
    public static void Verify(string received, string name, [CallerFilePath] string callerFile = "")
    {
        var directory = Path.Combine(Path.GetDirectoryName(callerFile)!, "Approved");
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
}
