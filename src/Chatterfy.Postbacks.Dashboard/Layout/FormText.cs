namespace Chatterfy.Postbacks.Dashboard.Layout;

/// <summary>How the dashboard's forms read a text value.</summary>
internal static class FormText
{
    /// <summary>Returns the value trimmed, or <see langword="null"/> when it is missing, empty or white space.</summary>
    /// <param name="value">The posted or query value.</param>
    /// <returns>The trimmed value or <see langword="null"/>.</returns>
    public static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
