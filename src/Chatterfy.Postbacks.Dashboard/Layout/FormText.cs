using System.Globalization;

namespace Chatterfy.Postbacks.Dashboard.Layout;

/// <summary>How the dashboard's forms read a text value.</summary>
internal static class FormText
{
    /// <summary>The <c>datetime-local</c> format of the time inputs (UTC), to the minute.</summary>
    public const string UtcMinuteFormat = "yyyy-MM-dd'T'HH:mm";

    /// <summary>What a time input that cannot be read says.</summary>
    public const string UtcTimeError = "Enter a UTC date and time, e.g. 2026-11-27T00:00.";

    /// <summary>Returns the value trimmed, or <see langword="null"/> when it is missing, empty or white space.</summary>
    /// <param name="value">The posted or query value.</param>
    /// <returns>The trimmed value or <see langword="null"/>.</returns>
    public static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>Reads an optional time field of a form: <see langword="null"/> when blank, else the time, or records <see cref="UtcTimeError"/> under <paramref name="field"/>.</summary>
    /// <param name="text">The blank-trimmed value (<see cref="Blank"/>).</param>
    /// <param name="field">The field's name, the key of its error.</param>
    /// <param name="errors">The form's errors by field.</param>
    /// <returns>The time, or <see langword="null"/> when blank or unreadable.</returns>
    public static DateTimeOffset? ParseUtcTime(string? text, string field, Dictionary<string, string> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (TryParseUtcTime(text, out var time))
        {
            return time;
        }

        errors[field] = UtcTimeError;
        return null;
    }

    /// <summary>Reads a <c>datetime-local</c> value (to the minute or the second) as a UTC time.</summary>
    /// <param name="text">The value.</param>
    /// <param name="time">The time.</param>
    /// <returns><see langword="true"/> when the value is such a time.</returns>
    public static bool TryParseUtcTime(string text, out DateTimeOffset time)
    {
        string[] formats = [UtcMinuteFormat, UtcMinuteFormat + ":ss"];
        if (DateTime.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var utc))
        {
            time = new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc));
            return true;
        }

        time = default;
        return false;
    }
}
